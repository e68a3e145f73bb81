import { describe, expect, it } from "vitest";
import { sealSecret, unsealSecret } from "../app/email/sealed-secret";

// The merchant's SMTP URL (it holds a password) is kept sealed: it opens with the app's secret (or
// the previous one while it is rotated), not with another, and not after a byte of it changed.

describe("sealSecret / unsealSecret", () => {
  const url = "smtps://rewards:p%40ss@smtp.example.com:465";
  it("opens with the secret that sealed it, also as the previous secret while rotating", () => {
    const sealed = sealSecret("secret-one", url);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("p%40ss");
    expect(unsealSecret(["secret-one"], sealed)).toBe(url);
    expect(unsealSecret(["secret-two", "secret-one"], sealed)).toBe(url);
  });
  it("two seals of one URL differ (a fresh IV each time)", () => {
    expect(sealSecret("secret-one", url)).not.toBe(sealSecret("secret-one", url));
  });
  it.each([
    ["another secret", (sealed: string) => sealed, ["secret-two"]],
    ["a changed ciphertext", (sealed: string) => sealed.replace(/\.([\w-])/, (_m, c: string) => `.${c === "A" ? "B" : "A"}`), ["secret-one"]],
    ["a changed tag", (sealed: string) => sealed.slice(0, -2) + (sealed.endsWith("AA") ? "BB" : "AA"), ["secret-one"]],
    ["not sealed text", () => url, ["secret-one"]],
    ["another version", (sealed: string) => sealed.replace(/^v1/, "v2"), ["secret-one"]],
  ])("%s opens to null", (_name, alter, secrets) => {
    expect(unsealSecret(secrets, alter(sealSecret("secret-one", url)))).toBeNull();
  });
});

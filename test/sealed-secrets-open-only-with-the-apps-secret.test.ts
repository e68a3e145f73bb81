import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "../app/email/sealed-secret.server";

// The merchant's SMTP URL (it holds a password) is kept sealed: it opens with the app's secret,
// not with another, and not after a byte of it changed.

const URL = "smtps://rewards:s3cret-pass@smtp.example.com:465";

describe("sealed secrets", () => {
  it("open to the plaintext with the same app secret, and never show it", () => {
    const sealed = sealSecret("app-secret", URL);
    expect(sealed).not.toContain("s3cret");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(openSecret("app-secret", sealed)).toBe(URL);
  });

  it("differ each time they are sealed", () => {
    expect(sealSecret("app-secret", URL)).not.toBe(sealSecret("app-secret", URL));
  });

  it.each([
    ["another app secret", (sealed: string) => ({ secret: "other-secret", sealed })],
    ["a changed ciphertext", (sealed: string) => ({ secret: "app-secret", sealed: sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA") })],
    [
      "a changed tag",
      (sealed: string) => ({
        secret: "app-secret",
        sealed: sealed
          .split(".")
          .map((part, i) => (i === 2 ? part.split("").reverse().join("") : part))
          .join("."),
      }),
    ],
    ["another version", (sealed: string) => ({ secret: "app-secret", sealed: sealed.replace(/^v1\./, "v2.") })],
    ["not a sealed value", () => ({ secret: "app-secret", sealed: URL })],
    ["an empty value", () => ({ secret: "app-secret", sealed: "" })],
  ])("do not open with %s", (_name, change) => {
    const { secret, sealed } = change(sealSecret("app-secret", URL));
    expect(openSecret(secret, sealed)).toBeNull();
  });
});

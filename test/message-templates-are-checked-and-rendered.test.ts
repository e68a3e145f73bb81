import { describe, expect, it } from "vitest";
import { checkTemplate, renderHtml, renderText } from "../app/domain/message-templates";

// Member message templates: what a merchant may save (one fault at a time, with its line and
// variable), and what a member receives (values filled in, escaped in the HTML part).

describe("checkTemplate", () => {
  it.each([
    ["a plain subject", "subject", "Your points are waiting", { ok: true }],
    ["variables", "body", "Hi {{ first_name }}, you have {{ balance }} points at {{ shop_name }}.", { ok: true }],
    ["filters and conditions", "body", "{% if points > 100 %}{{ points | times: 2 }}{% endif %} {{ first_name | upcase }}", { ok: true }],
    ["a right-to-left body", "body", "שלום {{ first_name }}, יש לך {{ balance }} נקודות", { ok: true }],
    [
      "an unknown variable, with its line",
      "body",
      "Hi {{ first_name }},\n\nYou have {{ pionts }} points.",
      { ok: false, field: "body", line: 3, variable: "pionts" },
    ],
    ["an unknown filter", "subject", "{{ points | shout }}", { ok: false, field: "subject", line: 1, variable: null }],
    ["an unclosed output", "body", "Hi {{ first_name", { ok: false, field: "body", line: 1 }],
    ["an unclosed tag", "body", "line one\n{% if points > 1 %}more", { ok: false, field: "body" }],
    ["include reads no file", "body", "{% include 'secrets' %}", { ok: false, field: "body" }],
    ["render reads no file", "body", "{% render '/etc/passwd' %}", { ok: false, field: "body" }],
    ["an empty subject", "subject", "   ", { ok: false, field: "subject", line: null }],
    ["a subject too long", "subject", "x".repeat(201), { ok: false, field: "subject" }],
  ] as const)("%s", (_name, field, text, expected) => {
    expect(checkTemplate(field, text)).toMatchObject(expected);
  });

  it.each([
    [
      "Hi {{ first_name }},\n\nYou have {{ pionts }} points.",
      "Line 3: {{ pionts }} is not something this message can fill in. Use one of: first_name, points, balance, reward, expiry_date, tier, shop_name, shop_url.",
    ],
    ["{{ points | shout }}", 'Line 1: "shout" is not a Liquid filter.'],
    ["{% include 'secrets' %}", "Line 1: Messages cannot include other files."],
  ])("says what is wrong: %j", (text, message) => {
    expect(checkTemplate("body", text)).toMatchObject({ message });
  });
});

describe("rendering", () => {
  const values = { first_name: "Noa <b>", points: 40, balance: 1240, shop_name: "Tea & Co" };
  it("fills the text part as written", () => {
    expect(renderText("Hi {{ first_name }}: +{{ points }} = {{ balance }} at {{ shop_name }}", values)).toBe("Hi Noa <b>: +40 = 1240 at Tea & Co");
  });
  it("escapes values in the HTML part, not the merchant's markup", () => {
    expect(renderHtml("<p>Hi {{ first_name }} at {{ shop_name }}</p>", values)).toBe("<p>Hi Noa &lt;b&gt; at Tea &amp; Co</p>");
  });
  it("reads a value the member has not got as empty", () => {
    expect(renderText("Hi {{ first_name }}{{ tier }}!", { first_name: null })).toBe("Hi !");
  });
});

import { Liquid, LiquidError, type FS } from "liquidjs";
import { ok, refused, type Ok, type Refused } from "./result";

// Member messages (issue 14): the merchant's subject and body per language, in Liquid (the
// language merchants already write their theme in), rendered by liquidjs. Only the variables a
// message offers may be used (strict variables and filters), nothing is read from disk (no
// include, render or layout), and a template that does not render is refused at save with the
// line and variable at fault, never when a member's message is due.

/** The variables every message offers, with the example a preview or a check renders them with. */
export const MESSAGE_VARIABLES = {
  first_name: "Dana",
  points: 250,
  balance: 1200,
  reward: "$5 off your next order",
  expiry_date: "12 March 2027",
  tier: "Gold",
  shop_name: "Demo Tea Shop",
  shop_url: "https://demo-tea.myshopify.com",
} as const;

export type MessageVariable = keyof typeof MESSAGE_VARIABLES;
export type MessageValues = { [K in MessageVariable]?: string | number | null };

export const TEMPLATE_LIMITS = { subject: 200, body: 20_000 } as const;
export type TemplateField = keyof typeof TEMPLATE_LIMITS;

export type TemplateRefusal = Refused<
  "invalid_template",
  { field: TemplateField; line: number | null; column: number | null; variable: string | null; message: string }
>;

const NO_FILES = "Messages cannot include other files.";
const noFiles: FS = {
  readFileSync: () => {
    throw new Error(NO_FILES);
  },
  readFile: async () => {
    throw new Error(NO_FILES);
  },
  existsSync: () => false,
  exists: async () => false,
  contains: async () => false,
  resolve: (_root: string, file: string) => file,
  sep: "/",
};

function engine(escape: boolean) {
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    fs: noFiles,
    ...(escape ? { outputEscape: "escape" as const } : {}),
  });
  for (const tag of ["include", "render", "layout"]) {
    liquid.registerTag(tag, {
      parse() {
        throw new Error(NO_FILES);
      },
      render() {
        return "";
      },
    });
  }
  return liquid;
}

const plain = engine(false);
const html = engine(true);

const variableList = Object.keys(MESSAGE_VARIABLES).join(", ");

function refusalOf(field: TemplateField, error: unknown): TemplateRefusal {
  const position = error instanceof LiquidError ? error.token?.getPosition?.() : undefined;
  const line = position ? position[0] : null;
  const column = position ? position[1] : null;
  const at = line === null ? "" : `Line ${line}: `;
  const text = error instanceof Error ? error.message : String(error);
  const variable = /undefined variable: ([^,\s]+)/.exec(text)?.[1] ?? null;
  const filter = /undefined filter: ([^,\s]+)/.exec(text)?.[1] ?? null;
  let message: string;
  if (variable) message = `${at}{{ ${variable} }} is not something this message can fill in. Use one of: ${variableList}.`;
  else if (filter) message = `${at}"${filter}" is not a Liquid filter.`;
  else if (text.includes(NO_FILES)) message = `${at}${NO_FILES}`;
  else message = `${at}${text.replace(/, line:\d+, col:\d+$/, "")}.`;
  return refused("invalid_template", { field, line, column, variable, message });
}

/** A template the merchant saves: within its length, and rendered once with every variable's example. */
export function checkTemplate(field: TemplateField, text: string): Ok<{ template: string }> | TemplateRefusal {
  if (text.trim() === "") return refused("invalid_template", { field, line: null, column: null, variable: null, message: `Enter a ${field}.` });
  if (text.length > TEMPLATE_LIMITS[field]) {
    return refused("invalid_template", {
      field,
      line: null,
      column: null,
      variable: null,
      message: `Keep the ${field} under ${TEMPLATE_LIMITS[field].toLocaleString("en")} characters.`,
    });
  }
  try {
    plain.parseAndRenderSync(text, { ...MESSAGE_VARIABLES });
    return ok({ template: text });
  } catch (error) {
    return refusalOf(field, error);
  }
}

/** A checked template with a member's values, as plain text (the subject, the text part). A missing value reads as empty. */
export function renderText(template: string, values: MessageValues): string {
  return plain.parseAndRenderSync(template, filled(values));
}

/** The same for the HTML part: every value is HTML-escaped. */
export function renderHtml(template: string, values: MessageValues): string {
  return html.parseAndRenderSync(template, filled(values));
}

function filled(values: MessageValues): Record<MessageVariable, string | number> {
  const out = {} as Record<MessageVariable, string | number>;
  for (const name of Object.keys(MESSAGE_VARIABLES) as MessageVariable[]) out[name] = values[name] ?? "";
  return out;
}

import { parse } from "csv-parse/sync";
import { normaliseEmail } from "./action-awards";

// A CSV of customers to award one way to earn: a header row with an `email` column and an
// optional `photo` column (reviews with a photo earn the photo bonus). Each row is read alone:
// one bad row is reported and skipped, the others still count.

export const MAX_BULK_ROWS = 5000;
export const MAX_BULK_BYTES = 1024 * 1024;

export type BulkRowProblem = "bad_email" | "duplicate" | "bad_photo";

/** Outcomes that are wrong in the file itself (not a customer who cannot earn it now): a file with one applies nothing. */
const BAD_BULK_OUTCOMES: ReadonlySet<string> = new Set<string>(["bad_email", "duplicate", "bad_photo", "unknown_email", "ambiguous_email"]);

export const isBadBulkRow = (outcome: string) => BAD_BULK_OUTCOMES.has(outcome);

export interface BulkRow {
  /** The row's line in the file (the header is line 1). */
  line: number;
  /** As written. */
  rawEmail: string;
  /** Lower-cased; null when the row has no usable email. */
  email: string | null;
  photo: boolean;
  problem: { code: BulkRowProblem; message: string } | null;
}

const PHOTO: Record<string, boolean> = { "": false, yes: true, no: false, y: true, n: false, true: true, false: false, "1": true, "0": false };

/** The rows of the file, each with its problem if it has one, or why the file cannot be read at all. */
export function readBulkAwardCsv(text: string): { ok: true; rows: BulkRow[] } | { ok: false; message: string } {
  if (!text.trim()) return { ok: false, message: "The file is empty: upload or paste a CSV with an email column." };
  if (new TextEncoder().encode(text).length > MAX_BULK_BYTES) return { ok: false, message: "The file is larger than 1 MB: split it into smaller files." };
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    return { ok: false, message: `The file is not a readable CSV: ${(error as Error).message}` };
  }
  if (records.length === 0) return { ok: false, message: "The file has a header row but no customers." };
  if (!("email" in records[0].record)) return { ok: false, message: 'The first row must be a header naming an "email" column (and optionally "photo").' };
  if (records.length > MAX_BULK_ROWS) return { ok: false, message: `The file has ${records.length} rows; award at most ${MAX_BULK_ROWS} per file.` };
  const seen = new Map<string, number>();
  return {
    ok: true,
    rows: records.map(({ record, info }): BulkRow => {
      const rawEmail = record.email ?? "";
      const email = normaliseEmail(rawEmail);
      const photoText = (record.photo ?? "").toLowerCase();
      const row: BulkRow = { line: info.lines, rawEmail, email, photo: PHOTO[photoText] ?? false, problem: null };
      if (!email) row.problem = { code: "bad_email", message: rawEmail ? `"${rawEmail}" is not an email address.` : "The row has no email." };
      else if (seen.has(email))
        row.problem = { code: "duplicate", message: `The same email as line ${seen.get(email)}: each customer is awarded once per file.` };
      else if (!(photoText in PHOTO)) row.problem = { code: "bad_photo", message: `photo is "${record.photo}": write yes or no (or leave it empty).` };
      if (email && !seen.has(email)) seen.set(email, info.lines);
      return row;
    }),
  };
}

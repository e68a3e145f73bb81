// Lists and objects stored as JSON text columns, read back strictly: a column that does not parse
// stops the program rather than letting it run on a guess.

/** A stored list of ids or tags is unreadable: the program must not run on a guess (an empty exclusion list would let excluded products earn). */
export class CorruptSettingsError extends Error {
  constructor(column: string, value: string, expected = "a JSON list of strings") {
    super(`the shop's ${column} is not ${expected}: ${JSON.stringify(value.slice(0, 100))}`);
    this.name = "CorruptSettingsError";
  }
}

/** A JSON array column (ids, tags) as strings. */
export function parseList(json: string, column = "list"): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CorruptSettingsError(column, json);
  }
  if (!Array.isArray(value)) throw new CorruptSettingsError(column, json);
  return value.map(String);
}

// One shape for every operation that can be refused. A refusal names its reason with a typed
// code; what HTTP status and which shopper message a reason gets is decided at the edge
// (app/shopper/refusals.ts), never by the operation.

/** @example const done: Ok<{ balance: number }> = { ok: true, balance: 40 } */
export type Ok<T extends object = object> = { ok: true } & T;

/** @example const no: Refused<"insufficient_points", { balance: number }> = { ok: false, reason: "insufficient_points", balance: 3 } */
export type Refused<R extends string, D extends object = object> = { ok: false; reason: R } & D;

export const ok = <T extends object>(value: T): Ok<T> => ({ ok: true, ...value });

export const refused = <R extends string, D extends object = object>(reason: R, details?: D): Refused<R, D> =>
  ({ ok: false, reason, ...(details ?? {}) }) as Refused<R, D>;

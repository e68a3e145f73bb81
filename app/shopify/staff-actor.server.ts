import type { StaffActor } from "../models/adjustments.server";

/** The parts of shopify-app-remix's admin context that say who is signed in. */
export interface AdminIdentity {
  session: {
    onlineAccessInfo?: { associated_user?: { id: number | string; first_name?: string; last_name?: string; email?: string } };
  };
  /** The decoded session token (embedded apps); `sub` is the staff member's Shopify user id. */
  sessionToken?: { sub?: string };
}

/**
 * Who is acting, for the ledger. With online tokens the session names the user; this app uses
 * offline tokens (token exchange), so the session token's `sub` is the id and the name is
 * "Staff <sub>": no extra Admin API call on every adjustment. Null when neither says.
 *
 * @example staffActor({ session: {}, sessionToken: { sub: "42" } }) // { type: "staff", id: "42", name: "Staff 42" }
 */
export function staffActor({ session, sessionToken }: AdminIdentity): StaffActor | null {
  const user = session.onlineAccessInfo?.associated_user;
  if (user?.id) {
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || user.email || `Staff ${user.id}`;
    return { type: "staff", id: String(user.id), name };
  }
  const sub = sessionToken?.sub?.trim();
  if (sub) return { type: "staff", id: sub, name: `Staff ${sub}` };
  return null;
}

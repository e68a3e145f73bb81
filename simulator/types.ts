// The simulator's in-memory model of a few Shopify shops. Money is integer minor units in the
// shop's currency; ids are numeric and unique across the whole simulator, as Shopify's are.

export interface SimShop {
  id: number;
  domain: string;
  name: string;
  email: string;
  currency: string;
  /** Offset of the shop's time zone from UTC, used for REST timestamps ("2026-11-20T10:00:00-05:00"). */
  utcOffsetMinutes: number;
  createdAt: Date;
  installation: SimInstallation | null;
  products: Map<number, SimProduct>;
  collections: Map<number, SimCollection>;
  customers: Map<number, SimCustomer>;
  orders: Map<number, SimOrder>;
  discounts: Map<number, SimDiscount>;
  /** Automatic app discounts (the tier perks), with the metafields that configure their Function. */
  automaticDiscounts: Map<number, SimAutomaticDiscount>;
  metafields: SimMetafield[];
  storeCreditAccounts: Map<number, SimStoreCreditAccount>;
  /** What the app sent with flowTriggerReceive and Flow accepted, in order. */
  flowTriggersReceived: SimFlowTriggerRun[];
  nextOrderNumber: number;
}

export interface SimFlowTriggerRun {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: Date;
}

export interface SimInstallation {
  accessToken: string;
  scopes: string[];
  installedAt: Date;
}

export interface SimProduct {
  id: number;
  variantId: number;
  title: string;
  handle: string;
  sku: string;
  priceMinor: number;
  giftCard: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface SimCollection {
  id: number;
  title: string;
  handle: string;
  /** Products in the collection's order. */
  productIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

export interface SimCustomer {
  id: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  verifiedEmail: boolean;
  /** Shopify's customer account state: "enabled" once the customer has an account. */
  accountState: "disabled" | "invited" | "enabled" | "declined";
  emailMarketing: "not_subscribed" | "pending" | "subscribed" | "unsubscribed";
  /** The customer's language (Shopify's customer locale: "en", "he", "pt-BR"). */
  locale: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SimMetafield {
  id: number;
  /** "gid://shopify/Customer/1", "gid://shopify/Shop/2" */
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SimLine {
  id: number;
  productId: number | null;
  variantId: number | null;
  title: string;
  sku: string;
  quantity: number;
  priceMinor: number;
  /** Discount allocated to the whole line (all units). */
  discountMinor: number;
  /** Tax on the whole line (all units), included in the price when the order's taxes are included. */
  taxMinor: number;
  taxRate: number;
  giftCard: boolean;
  fulfilledQuantity: number;
  refundedQuantity: number;
}

export interface SimTransaction {
  id: number;
  kind: "sale" | "refund" | "void";
  amountMinor: number;
  parentId: number | null;
  createdAt: Date;
}

export interface SimRefundLine {
  id: number;
  lineId: number;
  quantity: number;
  subtotalMinor: number;
  taxMinor: number;
  restockType: "return" | "cancel" | "no_restock";
}

export interface SimRefund {
  id: number;
  createdAt: Date;
  note: string | null;
  lines: SimRefundLine[];
  shippingMinor: number;
  /** Id of the refund_shipping_lines entry when shipping was refunded. */
  shippingRefundLineId: number | null;
  transaction: SimTransaction | null;
}

export interface SimFulfillment {
  id: number;
  name: string;
  createdAt: Date;
  lines: { lineId: number; quantity: number }[];
}

export type FinancialStatus = "pending" | "paid" | "partially_refunded" | "refunded" | "voided";

export interface SimOrder {
  id: number;
  number: number;
  name: string;
  token: string;
  checkoutId: number;
  customerId: number | null;
  email: string | null;
  currency: string;
  taxesIncluded: boolean;
  lines: SimLine[];
  shippingLine: { id: number; title: string; priceMinor: number; refundedMinor: number } | null;
  discountCodes: string[];
  financialStatus: FinancialStatus;
  cancelledAt: Date | null;
  cancelReason: CancelReason | null;
  transactions: SimTransaction[];
  refunds: SimRefund[];
  fulfillments: SimFulfillment[];
  note: string | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type CancelReason = "customer" | "declined" | "fraud" | "inventory" | "other" | "staff";

export type DiscountValue = { kind: "percentage"; percentage: number } | { kind: "amount"; amountMinor: number; appliesOnEachItem: boolean };

export interface SimAutomaticDiscount {
  id: number;
  title: string;
  functionHandle: string;
  discountClasses: string[];
  metafields: { namespace: string; key: string; type: string; value: string }[];
  startsAt: Date;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

export interface SimDiscount {
  /** The DiscountCodeNode id; `codeId` is the DiscountRedeemCode's. */
  id: number;
  codeId: number;
  /** "app": a code discount served by one of the app's Shopify Functions (`functionHandle`). */
  kind: "basic" | "free_shipping" | "app";
  functionHandle: string | null;
  /** App discounts: the classes the function may give; the others' follow from their kind. */
  discountClasses?: string[];
  /** Basic discounts on some variants only; null: every item. */
  entitledVariantIds: number[] | null;
  title: string;
  code: string;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  /** null: every buyer; otherwise only these customers. */
  customerIds: number[] | null;
  value: DiscountValue | null;
  minimumSubtotalMinor: number | null;
  maximumShippingPriceMinor: number | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  createdAt: Date;
  updatedAt: Date;
}

export interface SimStoreCreditTransaction {
  id: number;
  amountMinor: number;
  balanceAfterMinor: number;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface SimStoreCreditAccount {
  id: number;
  customerId: number;
  currency: string;
  /** The truth is the transactions; the balance is their sum. */
  transactions: SimStoreCreditTransaction[];
}

/** One event Shopify would publish: the webhook topic, the shop and the REST payload. */
export interface WebhookEvent {
  topic: string;
  shop: string;
  payload: Record<string, unknown>;
  /** X-Shopify-Event-Id: the same for every delivery of this event. */
  eventId: string;
  triggeredAt: Date;
}

/** What every simulated operation returns: the changed resource and the webhooks it caused. */
export interface OperationResult<T> {
  value: T;
  events: WebhookEvent[];
}

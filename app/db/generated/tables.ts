import type { ColumnType } from "kysely";
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type ApiCall = {
    id: Generated<number>;
    shop: string;
    api_key_id: number;
    idempotency_key: string;
    request_hash: string;
    status: number;
    response: string;
    created_at: string;
};
export type ApiKey = {
    id: Generated<number>;
    shop: string;
    name: string;
    prefix: string;
    secret_hash: string;
    created_by: string;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
    revoked_by: string | null;
};
export type Campaign = {
    id: Generated<number>;
    shop: string;
    name: string;
    /**
     * @kyselyType(import("../../domain/ways-to-earn").RuleStatus)
     */
    status: Generated<import("../../domain/ways-to-earn").RuleStatus>;
    starts_at: string;
    ends_at: string;
    multiplier_percent: number | null;
    bonus_points: number | null;
    product_ids: Generated<string>;
    collection_ids: Generated<string>;
    collection_product_ids: Generated<string>;
    customer_tags: Generated<string>;
    content: Generated<string>;
    created_at: string;
    updated_at: string;
};
export type DataRequest = {
    id: Generated<number>;
    shop: string;
    customer_id: string;
    request_id: string;
    export: string;
    created_at: string;
};
export type DeadLetter = {
    id: Generated<number>;
    shop: string;
    webhook_id: string;
    topic: string;
    payload: string;
    customer_id: string | null;
    reason: string;
    message: string;
    attempts: Generated<number>;
    received_at: string;
    last_attempt_at: string;
    resolved_at: string | null;
    resolution: string | null;
};
export type DryRunAward = {
    id: Generated<number>;
    shop: string;
    rule_id: number | null;
    campaign_id: number | null;
    member_id: number;
    source_key: string;
    points: number;
    breakdown: string;
    created_at: string;
};
export type EarningRule = {
    id: Generated<number>;
    shop: string;
    /**
     * @kyselyType(import("../../domain/ways-to-earn").EarningRuleKind)
     */
    kind: import("../../domain/ways-to-earn").EarningRuleKind;
    /**
     * @kyselyType(import("../../domain/ways-to-earn").RuleStatus)
     */
    status: Generated<import("../../domain/ways-to-earn").RuleStatus>;
    points: Generated<number>;
    points_per_currency_unit: number | null;
    every_nth: number | null;
    photo_bonus_points: Generated<number>;
    limit_count: number | null;
    limit_period: string | null;
    starts_at: string | null;
    ends_at: string | null;
    customer_tags: Generated<string>;
    settings: Generated<string>;
    content: Generated<string>;
    position: Generated<number>;
    created_at: string;
    updated_at: string;
};
export type FlowTriggerUse = {
    shop: string;
    handle: string;
    active: Generated<boolean>;
    updated_at: string;
};
export type Job = {
    id: Generated<number>;
    shop: string;
    kind: string;
    job_key: string;
    payload: Generated<string>;
    run_at: string;
    attempts: Generated<number>;
    locked_until: string | null;
    locked_by: string | null;
    last_error: string | null;
    done_at: string | null;
    failed_at: string | null;
    created_at: string;
};
export type LedgerEntry = {
    id: Generated<number>;
    shop: string;
    member_id: number;
    delta: number;
    /**
     * @kyselyType(import("../../domain/ledger").LedgerKind)
     */
    kind: import("../../domain/ledger").LedgerKind;
    source_key: string;
    order_id: string | null;
    /**
     * @kyselyType(import("../../domain/ledger").LedgerActorType)
     */
    actor_type: import("../../domain/ledger").LedgerActorType;
    actor_id: string | null;
    actor_name: string | null;
    reason: string;
    customer_note: string | null;
    created_at: string;
    rule_id: number | null;
    campaign_id: number | null;
    breakdown: string | null;
};
export type LoyaltyOrder = {
    id: Generated<number>;
    shop: string;
    order_id: string;
    order_name: string | null;
    customer_id: string | null;
    currency_code: Generated<string>;
    earning_lines: Generated<string>;
    basis_minor: Generated<number>;
    earned_points: Generated<number>;
    reversed_points: Generated<number>;
    earned_at: string | null;
    cancelled_at: string | null;
    pending_until: string | null;
    pending_awards: string | null;
    posted_at: string | null;
    qualifying_number: number | null;
    tier_counted_minor: Generated<number>;
    tier_counted_orders: Generated<number>;
    created_at: string;
    updated_at: string;
};
export type Member = {
    id: Generated<number>;
    shop: string;
    customer_id: string;
    email: string | null;
    first_name: string | null;
    last_name: string | null;
    balance: Generated<number>;
    created_at: string;
    updated_at: string;
    redacted_at: string | null;
    profile_updated_at: string | null;
    birthday: string | null;
    synced_points: number | null;
    birthday_set_at: string | null;
    origin: Generated<string>;
    tags: Generated<string>;
    qualifying_orders: Generated<number>;
    pending_points: Generated<string>;
    rule_awards: Generated<string>;
    tier_id: number | null;
    tier_reached_at: string | null;
    tier_kept_until: string | null;
    tier_manual: Generated<boolean>;
    tier_manual_until: string | null;
    paid_tier_id: number | null;
    paid_until: string | null;
    tier_total: Generated<number>;
    tier_tag: string | null;
    last_activity_at: string | null;
    oldest_lot_at: string | null;
    marketing_state: string | null;
    unsubscribed_at: string | null;
    locale: string | null;
    last_order_at: string | null;
    referral_code: string | null;
    phone_key: string | null;
    address_key: string | null;
};
export type MessageSetting = {
    shop: string;
    kind: string;
    enabled: Generated<boolean>;
    options: Generated<string>;
    updated_at: string;
};
export type MessageTemplate = {
    shop: string;
    kind: string;
    locale: string;
    subject: string;
    body: string;
    updated_at: string;
};
export type OrderRefund = {
    id: Generated<number>;
    shop: string;
    order_id: string;
    refund_id: string;
    lines: string;
    created_at: string;
};
export type OutboxMessage = {
    id: Generated<number>;
    shop: string;
    member_id: number;
    kind: string;
    occasion_key: string;
    to_email: string;
    locale: string;
    subject: string;
    html: string;
    text: string;
    status: Generated<string>;
    attempts: Generated<number>;
    next_attempt_at: string;
    locked_until: string | null;
    locked_by: string | null;
    last_error: string | null;
    message_id: string | null;
    sent_at: string | null;
    created_at: string;
};
export type PaidMembership = {
    id: Generated<number>;
    shop: string;
    member_id: number;
    order_id: string;
    line_item_id: string;
    units: number;
    days_per_unit: number;
    tier_id: number;
    starts_at: string;
    ends_at: string;
    ended_at: string | null;
    created_at: string;
};
export type Redemption = {
    id: Generated<number>;
    shop: string;
    member_id: number;
    reward_id: number;
    request_key: string;
    points: number;
    value_minor: Generated<number>;
    /**
     * @kyselyType(import("../../domain/redemption-lifecycle").RedemptionStatus)
     */
    status: import("../../domain/redemption-lifecycle").RedemptionStatus;
    code: string | null;
    shopify_discount_id: string | null;
    failure_reason: string | null;
    expires_at: string | null;
    created_at: string;
    updated_at: string;
};
export type Referral = {
    id: Generated<number>;
    shop: string;
    referrer_member_id: number;
    code: string;
    friend_email: string;
    friend_email_key: string;
    friend_customer_id: string | null;
    discount_code: string | null;
    discount_id: string | null;
    ip_hash: string | null;
    device_hash: string | null;
    status: Generated<string>;
    reasons: Generated<string>;
    order_id: string | null;
    order_total_minor: number | null;
    reward_points: number | null;
    reward_code: string | null;
    reward_due_at: string | null;
    reviewed_by: string | null;
    reviewed_at: string | null;
    claimed_at: string;
    ordered_at: string | null;
    rewarded_at: string | null;
    created_at: string;
    updated_at: string;
};
export type ReferralClick = {
    id: Generated<number>;
    shop: string;
    referrer_member_id: number;
    ip_hash: string | null;
    created_at: string;
};
export type ReferralProgram = {
    shop: string;
    enabled: Generated<boolean>;
    friend_offer_kind: Generated<string>;
    friend_value_minor: Generated<number>;
    friend_percent_off: Generated<number>;
    friend_minimum_subtotal_minor: number | null;
    friend_code_lifetime_days: Generated<number>;
    referrer_points: Generated<number>;
    referrer_reward_id: number | null;
    cookie_days: Generated<number>;
    window_days: number | null;
    max_per_referrer_month: number | null;
    max_per_referrer_total: number | null;
    max_claims_per_ip_week: Generated<number | null>;
    max_claims_per_device_week: Generated<number | null>;
    minimum_order_minor: Generated<number>;
    updated_at: string;
};
export type Reward = {
    id: Generated<number>;
    shop: string;
    name: string;
    /**
     * @kyselyType(import("../../domain/rewards").RewardKind)
     */
    kind: import("../../domain/rewards").RewardKind;
    points_cost: number;
    value_minor: Generated<number>;
    percent_off: Generated<number>;
    max_discount_minor: number | null;
    product_variant_id: string | null;
    min_amount_minor: number | null;
    max_amount_minor: number | null;
    minimum_subtotal_minor: number | null;
    code_lifetime_days: Generated<number>;
    combines_with_order_discounts: Generated<boolean>;
    combines_with_product_discounts: Generated<boolean>;
    combines_with_shipping_discounts: Generated<boolean>;
    enabled: Generated<boolean>;
    tier_ids: string | null;
    created_at: string;
    updated_at: string;
};
export type Session = {
    id: string;
    shop: string;
    state: string;
    isOnline: Generated<boolean>;
    scope: string | null;
    expires: string | null;
    accessToken: string;
    userId: number | null;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    accountOwner: Generated<boolean>;
    locale: string | null;
    collaborator: Generated<boolean | null>;
    emailVerified: Generated<boolean | null>;
    refreshToken: string | null;
    refreshTokenExpires: string | null;
};
export type Shop = {
    domain: string;
    installed_at: string;
    uninstalled_at: string | null;
    redacted_at: string | null;
    currency_code: Generated<string>;
    program_enabled: Generated<boolean>;
    minimum_order_minor: Generated<number>;
    earn_trigger: Generated<string>;
    excluded_product_ids: Generated<string>;
    excluded_collection_ids: Generated<string>;
    excluded_collection_product_ids: Generated<string>;
    excluded_customer_tags: Generated<string>;
    updated_at: string;
    catalogue_version: Generated<number>;
    program_version: Generated<number>;
    pending_days: Generated<number>;
    time_zone: Generated<string>;
    expiry_policy: Generated<string>;
    expiry_months: Generated<number>;
    expiry_reminder_days: Generated<string>;
    account_messages_follow_consent: Generated<boolean>;
    smtp_url_sealed: string | null;
    sender_email: string | null;
};
export type Tier = {
    id: Generated<number>;
    shop: string;
    rank: number;
    threshold: number;
    names: Generated<string>;
    multiplier_percent: Generated<number>;
    entry_bonus_points: Generated<number>;
    birthday_points: number | null;
    free_shipping: Generated<boolean>;
    member_price_percent: Generated<number>;
    member_price_collection_ids: Generated<string>;
    paid_product_id: string | null;
    paid_variant_id: string | null;
    paid_duration_days: number | null;
    created_at: string;
    updated_at: string;
};
export type TierAccess = {
    id: Generated<number>;
    shop: string;
    target_type: string;
    target_id: string;
    target_title: Generated<string>;
    min_rank: Generated<number>;
    until: string | null;
    created_at: string;
};
export type TierActivity = {
    member_id: number;
    day: string;
    shop: string;
    points: Generated<number>;
    adjusted_points: Generated<number>;
    amount_minor: Generated<number>;
    orders: Generated<number>;
};
export type TierChange = {
    id: Generated<number>;
    shop: string;
    member_id: number;
    from_tier_id: number | null;
    to_tier_id: number | null;
    /**
     * @kyselyType(import("../../domain/tiers").TierChangeReason)
     */
    reason: import("../../domain/tiers").TierChangeReason;
    note: string | null;
    actor_type: Generated<string>;
    actor_id: string | null;
    actor_name: string | null;
    source_key: string;
    created_at: string;
};
export type TierProgram = {
    shop: string;
    enabled: Generated<boolean>;
    /**
     * @kyselyType(import("../../domain/tiers").TierBasis)
     */
    basis: Generated<import("../../domain/tiers").TierBasis>;
    period_kind: Generated<string>;
    period_months: Generated<number>;
    /**
     * @kyselyType(import("../../domain/tiers").TierRetention)
     */
    retention: Generated<import("../../domain/tiers").TierRetention>;
    adjustments_count: Generated<boolean>;
    tag_prefix: string | null;
    perks_discount_id: string | null;
    updated_at: string;
};
export type WebhookReceipt = {
    webhook_id: string;
    shop: string;
    topic: string;
    received_at: string;
};
export type DB = {
    api_calls: ApiCall;
    api_keys: ApiKey;
    campaigns: Campaign;
    data_requests: DataRequest;
    dead_letters: DeadLetter;
    dry_run_awards: DryRunAward;
    earning_rules: EarningRule;
    flow_trigger_uses: FlowTriggerUse;
    jobs: Job;
    ledger_entries: LedgerEntry;
    loyalty_orders: LoyaltyOrder;
    members: Member;
    message_settings: MessageSetting;
    message_templates: MessageTemplate;
    order_refunds: OrderRefund;
    outbox_messages: OutboxMessage;
    paid_memberships: PaidMembership;
    redemptions: Redemption;
    referral_clicks: ReferralClick;
    referral_programs: ReferralProgram;
    referrals: Referral;
    rewards: Reward;
    Session: Session;
    shops: Shop;
    tier_access: TierAccess;
    tier_activity: TierActivity;
    tier_changes: TierChange;
    tier_programs: TierProgram;
    tiers: Tier;
    webhook_receipts: WebhookReceipt;
};

import { describe, expect, it } from "vitest";
import { toMinorUnits } from "../app/domain/money";
import { maxAffordableMinor, pointsNeeded, quoteRedemption, type RewardDefinition } from "../app/domain/rewards";
import { rewardOffers } from "../app/shopper/handlers.server";
import { rewardCatalogue } from "../app/models/shopper-view.server";
import { createReward } from "../app/models/rewards.server";
import { createTestDatabase, installShop } from "./support/database";
import { rewardForm } from "./support/rewards";

// The shopper surfaces (checkout, customer account, storefront widget) keep a shopper from sending
// what the server would refuse, with their own copy of the rules. These tests hold the two copies
// together: for every reward, balance and amount tried, the surface offers exactly what the
// server accepts.
import * as surface from "../extensions/shared/rewards.js";

const variable = (pointsCost: number, stepMinor: number, minMinor: number, maxMinor: number): RewardDefinition => ({
  id: 1,
  name: "Pick an amount",
  kind: "variable",
  pointsCost,
  valueMinor: stepMinor,
  percentOff: 0,
  maxDiscountMinor: null,
  productVariantId: null,
  minAmountMinor: minMinor,
  maxAmountMinor: maxMinor,
  minimumSubtotalMinor: null,
  codeLifetimeDays: 30,
  combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
});

/** The reward as the backend sends it to a surface (what rewardOffers computes). */
const asSent = (reward: RewardDefinition, balance: number) => ({
  ...reward,
  pointsNeeded: pointsNeeded(reward),
  maxAffordableMinor: maxAffordableMinor(reward, balance) ?? undefined,
  affordable: balance >= pointsNeeded(reward),
});

const rewards = [variable(100, 100, 500, 5000), variable(50, 100, 200, 1000), variable(1, 1, 1, 99), variable(300, 250, 250, 2500), variable(7, 5, 10, 10)];
const balances = [0, 1, 99, 100, 499, 500, 650, 999, 1000, 2500, 10_000, 1_000_000];

describe("a variable reward's amount", () => {
  it("is offered by a surface exactly when the server would redeem it for that balance", () => {
    let checked = 0;
    for (const reward of rewards) {
      for (const balance of balances) {
        const sent = asSent(reward, balance);
        for (let amount = 0; amount <= reward.maxAmountMinor! + 2 * reward.valueMinor; amount += 1) {
          const quote = quoteRedemption(reward, amount);
          const serverAccepts = quote.ok && quote.points <= balance;
          expect(surface.amountProblem(sent, amount) === null, `${JSON.stringify(reward)} balance ${balance} amount ${amount}`).toBe(serverAccepts);
          if (serverAccepts) expect(surface.pointsForAmount(sent, amount)).toBe(quote.points);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it("is affordable, and next, by the same points on both sides; a new balance re-flags as the server would", () => {
    for (const reward of rewards) {
      for (const balance of balances) {
        const sent = asSent(reward, balance);
        expect(surface.pointsNeeded(sent)).toBe(pointsNeeded(reward));
        for (const later of balances) {
          const [again] = surface.withBalance([sent], later);
          const server = asSent(reward, later);
          expect({ affordable: again.affordable, max: again.maxAffordableMinor }).toEqual({ affordable: server.affordable, max: server.maxAffordableMinor });
        }
      }
    }
  });

  it("is read from what the shopper typed exactly as the server reads the decimal text sent", () => {
    for (const decimals of [0, 2, 3]) {
      const currency = { 0: "JPY", 2: "EUR", 3: "KWD" }[decimals]!;
      for (const text of ["0", "5", "12.5", "12.50", "7.125", "1000", "0.01", "3."]) {
        // In a currency with no minor unit "7.125" is seven thousand: the surface sends "7125" (below).
        if (decimals === 0 && text === "7.125") continue;
        const minor = surface.parseAmount(text, decimals);
        let server: number | null;
        try {
          server = toMinorUnits(text.replace(/\.$/, ""), currency);
        } catch {
          server = null;
        }
        expect(minor, `${text} in ${currency}`).toBe(server);
        if (minor !== null) expect(toMinorUnits(surface.amountText(minor, decimals), currency)).toBe(minor);
      }
    }
    expect(surface.parseAmount("12,5", 2)).toBe(1250);
    expect(surface.parseAmount(" 8 ", 2)).toBe(800);
    for (const bad of ["", "ten", "-5", "1e3", "1.2.3", "1,000.00", "12.345", "1,000", "0.305"]) expect(surface.parseAmount(bad, 2)).toBeNull();
    // Thousands in a currency with no minor unit; Arabic-Indic digits and the Arabic decimal separator.
    expect(surface.parseAmount("1,000", 0)).toBe(1000);
    expect(surface.parseAmount("7.125", 0)).toBe(7125);
    expect(surface.parseAmount("1.000.000", 0)).toBe(1_000_000);
    expect(surface.parseAmount("12.5", 0)).toBeNull();
    expect(surface.parseAmount("١٢٫٥", 2)).toBe(1250);
    expect(surface.parseAmount("۱۰", 0)).toBe(10);
    // A stepper's float noise is the amount it means; a real third decimal is not.
    expect(surface.parseAmount("0.30000000000000004", 2)).toBe(30);
    expect(surface.parseAmount("12.299999999999999", 2)).toBe(1230);
    expect(surface.parseAmount("12.2999", 2)).toBeNull();
    for (const text of ["1,000", "١٢٫٥", "0.30000000000000004"]) {
      const decimals = text === "1,000" ? 0 : 2;
      const minor = surface.parseAmount(text, decimals);
      expect(toMinorUnits(surface.amountText(minor, decimals), decimals === 0 ? "JPY" : "EUR")).toBe(minor);
    }
  });
});

describe("what each surface offers", () => {
  const kinds = ["fixed_amount", "percentage", "free_shipping", "free_product", "variable", "store_credit"];
  const catalogue = kinds.map((kind, i) => ({ id: i + 1, kind, pointsCost: 100 * (i + 1), affordable: i < 4 || kind === "store_credit" }));

  it("the checkout offers code rewards; the account and storefront add store credit", () => {
    expect(surface.redeemable(catalogue).map((r: { kind: string }) => r.kind)).toEqual(["fixed_amount", "percentage", "free_shipping", "free_product"]);
    expect(surface.redeemable(catalogue, { storeCredit: true }).map((r: { kind: string }) => r.kind)).toEqual([...kinds.slice(0, 4), "store_credit"]);
    expect(surface.nextReward(catalogue)?.kind).toBe("variable");
  });

  it("the backend sends each reward with the points it needs and a variable reward's range", async () => {
    const { db, drop } = await createTestDatabase();
    try {
      const shop = "agree.myshopify.com";
      await installShop(db, shop, { currency: "EUR" });
      const saved = await createReward(
        db,
        shop,
        rewardForm({ name: "Pick an amount", kind: "variable", pointsCost: "100", stepAmount: "1.00", minAmount: "5.00", maxAmount: "50.00" }),
        new Date().toISOString(),
      );
      expect(saved.ok).toBe(true);
      await createReward(db, shop, rewardForm({ name: "3 off", kind: "fixed_amount", pointsCost: "300", amount: "3.00" }), new Date().toISOString());
      const rewards = await rewardCatalogue()(db, shop, 0);
      const all = rewardOffers(rewards, 1250);
      // Listed by the points a redemption needs: the variable reward's 500, not its 100 per step.
      expect(all.map((r) => [r.name, r.pointsNeeded])).toEqual([
        ["3 off", 300],
        ["Pick an amount", 500],
      ]);
      const sent = all.find((r) => r.kind === "variable")!;
      expect(sent).toMatchObject({ pointsNeeded: 500, minAmountMinor: 500, maxAmountMinor: 5000, maxAffordableMinor: 1200, affordable: true });
      const poor = rewardOffers(rewards, 499).find((r) => r.kind === "variable")!;
      expect(poor).toMatchObject({ pointsNeeded: 500, affordable: false });
      expect(poor.maxAffordableMinor).toBeNull();
    } finally {
      await drop();
    }
  });
});

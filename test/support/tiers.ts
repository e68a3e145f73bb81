import type { TierConfig, TierProgramConfig } from "../../app/domain/tiers";
import { TIER_WITHOUT_PERKS } from "../../app/domain/tiers";
import type { TierProgramInput } from "../../app/models/tiers.server";

// Small factories for VIP tier programs: a tier of a rank with a name (threshold rank × 100, no
// perks unless given), and a running points program around some tiers.

/** A tier as the engine saves it (no id). */
export function tierInput(rank: number, name: string, spec: Partial<TierConfig> = {}): Omit<TierConfig, "id"> {
  return {
    rank,
    threshold: rank * 100,
    names: { en: name },
    ...TIER_WITHOUT_PERKS,
    ...spec,
  };
}

/** A tier as read back, with an id of 100 + rank. */
export const tierConfig = (rank: number, name: string, spec: Partial<TierConfig> = {}): TierConfig => ({ id: 100 + rank, ...tierInput(rank, name, spec) });

const PROGRAM_SETTINGS = {
  enabled: true,
  basis: "points_earned",
  period: { kind: "lifetime" },
  retention: "period_and_next",
  adjustmentsCount: false,
  tagPrefix: null,
} as const;

/** A running program over points earned in a lifetime, as the engine saves it. */
export const tierProgramInput = (tiers: Omit<TierConfig, "id">[], spec: Partial<TierProgramInput> = {}): TierProgramInput => ({
  ...PROGRAM_SETTINGS,
  tiers,
  ...spec,
});

/** The same program as read back. */
export const tierProgramConfig = (tiers: TierConfig[], spec: Partial<TierProgramConfig> = {}): TierProgramConfig => ({ ...PROGRAM_SETTINGS, tiers, ...spec });

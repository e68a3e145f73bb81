// Runs at checkout for every cart a capped-percentage reward code is entered on. The rule lives in
// app/domain/capped-percentage.ts (pure, tested in Node); esbuild bundles it into the function.
import { cappedPercentageDiscount, type CappedPercentageInput, type CappedPercentageResult } from "../../../app/domain/capped-percentage";

export function cartLinesDiscountsGenerateRun(input: CappedPercentageInput): CappedPercentageResult {
  return cappedPercentageDiscount(input);
}

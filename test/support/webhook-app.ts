import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startAppServer } from "./app-server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./database";

export interface WebhookAppFixture {
  database: TestDatabase;
  app: Awaited<ReturnType<typeof startAppServer>>;
}

/**
 * The usual setting of a test file: a fresh database with these shops installed, the app's
 * real HTTP server over it, and after every test the ledger's promise checked (each balance is
 * the sum of its entries). Fields are filled in before the first test runs.
 */
export function useWebhookApp(shops: string[], setup?: (fixture: WebhookAppFixture) => Promise<void>): WebhookAppFixture {
  const fixture = {} as WebhookAppFixture;
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    for (const shop of shops) await installShop(fixture.database.db, shop);
    fixture.app = await startAppServer(fixture.database);
    await setup?.(fixture);
  });
  afterAll(async () => {
    await fixture.app?.close();
    await fixture.database?.drop();
  });
  afterEach(async () => {
    expect(await ledgerMismatches(fixture.database.db)).toEqual([]);
  });
  return fixture;
}

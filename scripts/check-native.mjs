// npm 11 may skip install scripts; prove the native SQLite binding really built for this Node.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
try {
  const Database = require("better-sqlite3");
  const db = new Database(":memory:");
  const { v } = db.prepare("select sqlite_version() as v").get();
  db.close();
  console.error(`check-native: better-sqlite3 loaded on Node ${process.version} (SQLite ${v})`);
} catch (error) {
  console.error(`check-native: better-sqlite3 did not load on Node ${process.version}: ${error.message}`);
  console.error("Rebuild it with: npm rebuild better-sqlite3 (with npm_config_nodedir pointing at Node headers)");
  process.exit(1);
}

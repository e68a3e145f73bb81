// A throwaway PostgreSQL server on loopback for the test run: initdb in a temporary folder,
// start on a free port, stop and delete it afterwards. Uses Debian's postgresql packages.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

function findBin() {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], "bin") : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const isRoot = process.getuid?.() === 0;

function ensureInstalled() {
  let bin = findBin();
  if (bin) return bin;
  if (!isRoot) {
    throw new Error("PostgreSQL server binaries not found. Install them: sudo apt-get install -y postgresql");
  }
  console.error("postgres: installing Debian's postgresql package");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "postgresql"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  bin = findBin();
  if (!bin) throw new Error("postgresql was installed but initdb was not found under /usr/lib/postgresql");
  return bin;
}

/** Fast and not crash-safe: right for tests, whose data is thrown away. */
export const TEST_SETTINGS = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

/**
 * Starts a private server with these settings (`-c name=value`; the test ones unless given, so
 * `{}` means PostgreSQL's own defaults); resolves to { url, logFile, stop() }.
 */
export async function startPostgres({ settings = TEST_SETTINGS } = {}) {
  const bin = ensureInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  // initdb refuses to run as root: run the server as the postgres user the package created.
  const asServerUser = (command, args) =>
    isRoot ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" }) : spawnSync(command, args, { encoding: "utf8" });
  if (isRoot) execFileSync("chown", ["-R", "postgres", dir]);
  const check = (result, what) => {
    if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr || result.stdout}`);
  };
  check(asServerUser(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]), "initdb");
  const logFile = path.join(dir, "server.log");
  const serverOptions = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", "-c max_connections=300"];
  for (const [name, value] of Object.entries(settings)) serverOptions.push(`-c ${name}=${value}`);
  check(asServerUser(path.join(bin, "pg_ctl"), ["-D", data, "-l", logFile, "-w", "start", "-o", serverOptions.join(" ")]), "pg_ctl start");
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    logFile,
    stop() {
      asServerUser(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

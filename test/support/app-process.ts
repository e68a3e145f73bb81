import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { TEST_API_KEY, TEST_API_SECRET } from "./signing";

const root = path.resolve(__dirname, "../..");

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * The production server (server.mjs over the build scripts/test.mjs makes) as its own Node
 * process: its own pool, its own webhook applier and job worker, over `databaseUrl`. With
 * `simulatorUrl` its Admin API calls go to the Shopify simulator.
 */
export async function startAppProcess({ databaseUrl, simulatorUrl }: { databaseUrl: string; simulatorUrl?: string }) {
  const port = await freePort();
  const child = spawn(process.execPath, ["server.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1",
      SCOPES: "read_orders,read_customers",
      PORT: String(port),
      HOST: "127.0.0.1",
      ...(simulatorUrl ? { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: simulatorUrl } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => void (output = (output + String(chunk)).slice(-20_000));
  child.stderr.on("data", collect);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      collect(chunk);
      if (output.includes("listening")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server.mjs exited with ${code} before listening:\n${output}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    /** What the process printed (its last 20 kB), for a failing test's message. */
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export type AppProcess = Awaited<ReturnType<typeof startAppProcess>>;

import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { aiConsole, aiHealth } from "../src/index";
import { bundlePage } from "./pageBundles";

export interface HealthServer {
  url: string;
  /** The operator console's page, at /console as Hosting serves it. */
  consoleUrl: string;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  /** How often the page refreshes the live state (default 10 s). */
  refreshMs?: number;
}

/**
 * Serves the exported aiHealth and aiConsole functions at /api/ai/health and /api/ai/console on
 * loopback, as the hosting rewrites do, and the console's page at /console with a config.json
 * that points its sign-in at the Auth emulator (FIREBASE_AUTH_EMULATOR_HOST).
 */
export async function serveHealthEndpoint(
  port: number,
  options: ConsoleOptions = {},
): Promise<HealthServer> {
  const files = await bundlePage("console");
  const app = express();
  // Express's request lacks only `rawBody`, which a GET handler never reads.
  app.all("/api/ai/health", (req, res) => aiHealth(req as Parameters<typeof aiHealth>[0], res));
  app.all("/api/ai/console", (req, res) => aiConsole(req as Parameters<typeof aiConsole>[0], res));
  const page = (type: string, body: Buffer) => (_req: express.Request, res: express.Response) =>
    void res.set({ "content-type": type, "cache-control": "no-store" }).send(body);
  app.get(["/console", "/console/"], page("text/html; charset=utf-8", files.html));
  app.get("/console/console.js", page("text/javascript; charset=utf-8", files.js));
  app.get("/console/console.css", page("text/css; charset=utf-8", files.css));
  app.get("/console/config.json", (_req, res) => {
    const authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
    res.set("cache-control", "no-store").json({
      apiKey: "demo-api-key",
      projectId: process.env.GCLOUD_PROJECT ?? "demo-lmstudio-suggestions",
      ...(authHost ? { authEmulator: `http://${authHost}` } : {}),
      ...(options.refreshMs ? { refreshMs: options.refreshMs } : {}),
    });
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, "127.0.0.1", (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/api/ai/health`,
    consoleUrl: `${origin}/console`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

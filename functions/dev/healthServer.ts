import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { aiHealth } from "../src/index";

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the exported aiHealth function at /api/ai/health on loopback, as the hosting rewrite does. */
export async function serveHealthEndpoint(port: number): Promise<HealthServer> {
  const app = express();
  // Express's request lacks only `rawBody`, which a GET handler never reads.
  app.all("/api/ai/health", (req, res) => aiHealth(req as Parameters<typeof aiHealth>[0], res));
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, "127.0.0.1", (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ai/health`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A loopback HTTP server that records every request and answers with `respond`
 * (which may also wait, to provoke timeouts).
 */
export async function startRecordingServer(
  respond: (request: RecordedRequest, index: number, raw: { req: http.IncomingMessage; res: http.ServerResponse }) => Promise<number | void> | number | void,
) {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(request);
    const status = await respond(request, requests.length - 1, { req, res });
    if (!res.headersSent) {
      res.writeHead(status ?? 200, { "Content-Type": "application/json" });
      res.end("{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

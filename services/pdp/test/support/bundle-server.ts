import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the bundle server saw of one request. */
export interface BundleRequest {
  ifNoneMatch: string | undefined;
  authorization: string | undefined;
  status: number;
}

/**
 * A local bundle server as OPA's clients expect one: the archive with an ETag, 304 for a matching
 * `If-None-Match`, 401 without the expected bearer token, and a status it can be told to fail with.
 */
export class BundleServer {
  readonly requests: BundleRequest[] = [];
  archive: Buffer = Buffer.alloc(0);
  /** When set, every request gets this status. */
  failWith: number | null = null;
  private server: http.Server | undefined;

  constructor(private readonly token?: string) {}

  get etag(): string {
    return `"${createHash('sha256').update(this.archive).digest('hex').slice(0, 16)}"`;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      const status = this.answer(req);
      this.requests.push({ ifNoneMatch: req.headers['if-none-match'], authorization: req.headers.authorization, status });
      if (status === 200) {
        res.writeHead(200, { 'content-type': 'application/gzip', etag: this.etag });
        res.end(this.archive);
        return;
      }
      res.writeHead(status, status === 304 ? { etag: this.etag } : {});
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/bundles/bundle.tar.gz`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  private answer(req: http.IncomingMessage): number {
    if (this.failWith !== null) return this.failWith;
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) return 401;
    if (req.headers['if-none-match'] === this.etag) return 304;
    return 200;
  }
}

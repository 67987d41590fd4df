import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';

/** The test-only self-signed certificate (CN and SAN localhost / 127.0.0.1) next to this file. */
export const TEST_TLS = {
  cert: fs.readFileSync(path.join(__dirname, 'siem-test-cert.pem'), 'utf8'),
  key: fs.readFileSync(path.join(__dirname, 'siem-test-key.pem'), 'utf8'),
};

export interface SyslogMessage {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  msg: string;
}

const RFC5424 = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;

export function parseRfc5424(message: string): SyslogMessage {
  const match = RFC5424.exec(message);
  if (!match) throw new Error(`not an RFC 5424 message: ${message.slice(0, 80)}`);
  return {
    pri: Number(match[1]),
    version: Number(match[2]),
    timestamp: match[3]!,
    hostname: match[4]!,
    appName: match[5]!,
    procId: match[6]!,
    msgId: match[7]!,
    structuredData: match[8]!,
    msg: (match[9] ?? '').replace(/^\uFEFF/, ''),
  };
}

export interface FakeSyslog {
  url: string;
  messages: SyslogMessage[];
  /** Set when a frame did not follow octet counting. */
  framingErrors: string[];
  close(): Promise<void>;
}

/** RFC 6587 / 5425 receiver: `MSG-LEN SP SYSLOG-MSG` frames over TCP, or over TLS with the test certificate. */
export async function startFakeSyslog(secure: boolean): Promise<FakeSyslog> {
  const messages: SyslogMessage[] = [];
  const framingErrors: string[] = [];
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const length = buffer.subarray(0, space).toString('ascii');
        if (!/^[1-9]\d{0,8}$/.test(length)) {
          framingErrors.push(`bad MSG-LEN ${JSON.stringify(length.slice(0, 20))}`);
          socket.destroy();
          return;
        }
        const end = space + 1 + Number(length);
        if (buffer.length < end) return;
        const message = buffer.subarray(space + 1, end).toString('utf8');
        buffer = buffer.subarray(end);
        try {
          messages.push(parseRfc5424(message));
        } catch (error) {
          framingErrors.push((error as Error).message);
        }
      }
    });
    socket.on('error', () => undefined);
  };
  const server = secure ? tls.createServer({ cert: TEST_TLS.cert, key: TEST_TLS.key }, onConnection) : net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${secure ? 'tls' : 'tcp'}://127.0.0.1:${port}`,
    messages,
    framingErrors,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

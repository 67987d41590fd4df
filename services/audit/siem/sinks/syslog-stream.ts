import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { utf8Joined } from '../../../common/text/utf8-joined';
import type { SinkOf } from '../sink-config';
import { allDelivered, TransientSinkError } from '../delivery-report';
import { toCefMessage } from '../formats/cef-message';
import { formattedJson } from '../formats/format-event';
import { octetCountedFrame, syslogMessage, type SyslogHeader } from '../formats/syslog-5424';
import type { SinkTransport } from './sink-transport';

/**
 * Syslog over TCP (RFC 6587) or TLS (RFC 5425): RFC 5424 messages with octet-counting framing on one
 * long-lived connection, re-opened after any error. TCP syslog has no acknowledgement, so a batch is
 * delivered once the kernel took it; a receiver dying right after may lose what it had not read.
 */
export function createSyslogTransport(sink: SinkOf<'syslog'>): SinkTransport {
  const url = new URL(sink.url);
  const secure = url.protocol === 'tls:';
  const port = Number(url.port || (secure ? 6514 : 601));
  const header: SyslogHeader = {
    facility: sink.facility,
    hostname: sink.hostname ?? (os.hostname() || '-'),
    appName: sink.app_name,
    procId: String(process.pid),
  };
  let connection: Promise<net.Socket> | undefined;

  function connect(): Promise<net.Socket> {
    const socket = secure
      ? tls.connect({
          host: url.hostname,
          port,
          ...(sink.tls?.ca ? { ca: sink.tls.ca } : {}),
          ...(sink.tls?.cert ? { cert: sink.tls.cert } : {}),
          ...(sink.tls?.key ? { key: sink.tls.key } : {}),
          // SNI carries host names only, never an address.
          ...(sink.tls?.servername || !net.isIP(url.hostname) ? { servername: sink.tls?.servername ?? url.hostname } : {}),
          rejectUnauthorized: sink.tls?.reject_unauthorized ?? true,
        })
      : net.connect({ host: url.hostname, port });
    const opened = new Promise<net.Socket>((resolve, reject) => {
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${sink.timeout_ms} ms`)), sink.timeout_ms);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    // A connection the receiver closed or broke is opened again for the next batch.
    socket.once('close', () => {
      if (connection === opened) connection = undefined;
    });
    return opened;
  }

  return {
    encode: (forwarded) => {
      const event = forwarded.event;
      const message = sink.message === 'cef' ? toCefMessage(event) : formattedJson(forwarded, sink.format);
      return octetCountedFrame(syslogMessage(event, header, message));
    },
    async deliver(batch) {
      connection ??= connect();
      let socket: net.Socket;
      try {
        socket = await connection;
      } catch (error) {
        connection = undefined;
        throw new TransientSinkError(`cannot connect: ${(error as Error).message}`);
      }
      const frames = utf8Joined(batch.map((event) => event.text));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new TransientSinkError(`write not taken within ${sink.timeout_ms} ms`));
        }, sink.timeout_ms);
        socket.write(frames, (error) => {
          clearTimeout(timer);
          if (error) {
            socket.destroy();
            connection = undefined;
            reject(new TransientSinkError(`write failed: ${error.message}`));
          } else resolve();
        });
      });
      return allDelivered(batch);
    },
    close: async () => {
      const pending = connection;
      connection = undefined;
      if (pending) (await pending.catch(() => undefined))?.end();
    },
  };
}

import { startTestProxy, type TestProxy, type TestProxyOptions } from './proxy-harness';
import { startRealPdp, type TestPdpServer } from './real-pdp';

/** `pdpSocketPath`: the PDP listens there instead of on a loopback port, and the proxy asks it over `unix:`. */
export type ProxyStackOptions = Omit<TestProxyOptions, 'pdpUrl'> & { pdpSocketPath?: string };

/** The real PDP and the proxy in front of it, as the tests of one describe block share them. */
export interface ProxyStack {
  readonly pdp: TestPdpServer;
  readonly proxy: TestProxy;
}

/**
 * Starts the stack before the enclosing describe block's tests and stops it after them.
 * Options given as a function are read when the stack starts, so they can use what an earlier
 * `beforeAll` of the block started (an upstream's URL, a signing key).
 */
export function useProxyStack(options: ProxyStackOptions | (() => ProxyStackOptions) = {}): ProxyStack {
  let pdp: TestPdpServer | undefined;
  let proxy: TestProxy | undefined;
  beforeAll(async () => {
    const { pdpSocketPath, ...proxyOptions } = typeof options === 'function' ? options() : options;
    pdp = await startRealPdp({ socketPath: pdpSocketPath });
    proxy = await startTestProxy({ ...proxyOptions, pdpUrl: pdp.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await pdp?.stop();
  });
  return {
    get pdp() {
      if (!pdp) throw new Error('the proxy stack is used before its beforeAll ran');
      return pdp;
    },
    get proxy() {
      if (!proxy) throw new Error('the proxy stack is used before its beforeAll ran');
      return proxy;
    },
  };
}

import { startArgumentRecorder, type ArgumentRecorder } from './support/argument-recorder-server';
import { API_KEYS, connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

describe('filtered_parameters replace the forwarded arguments', () => {
  let upstream: ArgumentRecorder;

  beforeAll(async () => {
    upstream = await startArgumentRecorder();
  });
  const stack = useProxyStack(() => ({ servers: { everything: { url: upstream.url } }, apiKeys: true }));
  afterAll(async () => {
    await upstream?.stop();
  });

  it('sends the upstream the arguments without the secrets the policy removed', async () => {
    const { client } = await connectClient(stack.proxy.url, { headers: { authorization: `Bearer ${API_KEYS.alice}` } });
    await client.callTool({ name: 'everything__echo', arguments: { message: 'hi', api_key: 'k-123', nested: { password: 'p', keep: 1 } } });
    expect(upstream.received.at(-1)).toEqual({ message: 'hi', nested: { keep: 1 } });
    await client.close();
  });

  it('never passes the client\'s credential to the upstream', async () => {
    const { client } = await connectClient(stack.proxy.url, { headers: { 'x-api-key': API_KEYS.carol } });
    await client.callTool({ name: 'everything__echo', arguments: { message: 'who am I' } });
    expect(upstream.credentials.length).toBeGreaterThan(0);
    expect(upstream.credentials.every((credential) => credential === undefined)).toBe(true);
    await client.close();
  });
});

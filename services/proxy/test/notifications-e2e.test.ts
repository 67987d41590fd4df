import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectClient } from './support/proxy-harness';
import { useProxyStack } from './support/proxy-stack';

describe('server-to-client notifications on the GET stream', () => {
  const stack = useProxyStack();

  it('delivers resources/updated to the session that subscribed through the proxy, not to others', async () => {
    const subscriber = await connectClient(stack.proxy.url);
    const bystander = await connectClient(stack.proxy.url);
    const { resources } = await subscriber.client.listResources();
    const uri = resources[0].uri;
    const updated = new Promise<string>((resolve) => {
      subscriber.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => resolve(notification.params.uri));
    });
    const seenByBystander: string[] = [];
    bystander.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => void seenByBystander.push(notification.params.uri));
    await subscriber.client.subscribeResource({ uri });
    expect(stack.proxy.audit.filter((event) => event.action === 'resources/subscribe').at(-1)).toMatchObject({ decision: 'allow', uri });
    await subscriber.client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    expect(await updated).toBe(uri);
    expect(seenByBystander).toEqual([]);
    await subscriber.client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await subscriber.client.close();
    await bystander.client.close();
  }, 20_000);
});

import type { SinkConfig } from '../sink-config';
import { createDatadogTransport } from './datadog-logs';
import { createElasticTransport } from './elastic-bulk';
import type { SinkTransport } from './sink-transport';
import { createSplunkHecTransport } from './splunk-hec';
import { createSyslogTransport } from './syslog-stream';
import { createWebhookTransport } from './webhook';

export function createSinkTransport(sink: SinkConfig): SinkTransport {
  switch (sink.type) {
    case 'splunk_hec':
      return createSplunkHecTransport(sink);
    case 'datadog':
      return createDatadogTransport(sink);
    case 'elastic':
      return createElasticTransport(sink);
    case 'syslog':
      return createSyslogTransport(sink);
    case 'webhook':
      return createWebhookTransport(sink);
  }
}

// The proxy's HTTP app is assembled with its dependencies in proxy-components.ts.
export { createProxyComponents, type ProxyComponents, type ProxyOptions } from './proxy-components';

import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53Dns } from '../../adapters/aws/route53-dns.js';
import { decorated, perRuntime, SDK_CLIENT_OPTIONS } from '../runtime-options.js';

/** Weighted records and health checks (one adapter serves both ports). Route 53 is global. */
export const route53Dns = perRuntime(() => new Route53Dns(decorated(new Route53Client(SDK_CLIENT_OPTIONS))));

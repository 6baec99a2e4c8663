import type { LifeboatConfig } from '../domain/config.js';
import { parseConfig } from '../domain/config-yaml.js';

export interface RegionFleetOptions {
  /** Hosted zones the apps' records are spread over (round robin). */
  zones?: number;
  primary?: string;
  standby?: string;
  /** The blast-radius limit (`safety.blastRadius.maxShareOfApps`): 1, all apps may fail over automatically, unless given. */
  maxShareOfApps?: number;
  /**
   * Pads every app's name to this length (the config allows 40): the names, and the record set
   * identifiers, cluster and alarm names built from them, are what the evacuation's state carries
   * per app, so its size at a given fleet depends on them.
   */
  nameLength?: number;
}

/**
 * A configuration of `count` apps, all primary in one region with a standby elsewhere, their
 * weighted records spread over `zones` hosted zones (several apps per zone, as a company's apps
 * share its domains): the shape of a regional outage at scale, for tests and the benchmark.
 */
export function regionFleetConfig(count: number, options: RegionFleetOptions = {}): LifeboatConfig {
  const zones = options.zones ?? 5;
  const primary = options.primary ?? 'eu-west-1';
  const standby = options.standby ?? 'eu-central-1';
  const short = (region: string) => region.replace(/^(\w\w)-(\w)\w*-(\d)$/, '$1$2$3');
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const appName = (app: number) => `app${app}`.padEnd(options.nameLength ?? 0, 'x');
  const region = (app: number, name: string, index: number) => {
    const zone = app % zones;
    const id = appName(app);
    return `
      - name: ${name}
        eks:
          cluster: ${id}-${short(name)}
          nodegroups: [{ name: workers, promoted: { minSize: 2, desiredSize: 4, maxSize: 8 } }]
          deployments: [{ namespace: ${id}, name: web, replicas: 4 }]
        velero: { schedule: ${id}-daily }
        route53:
          hostedZoneId: Z0ZONE${pad(zone, 3)}00000000000000
          recordName: ${id}.zone${zone}.example.com
          recordType: A
          setIdentifier: ${id}-${name}
          healthCheckId: 0f2a4c6e-${pad(app, 4)}-4a5b-8c9d-00000000000${index}
        alarms:
          - name: ${id}-${short(name)}-latency-p99
          - { name: ${id}-${short(name)}-health, region: us-east-1 }`;
  };
  const apps = Array.from({ length: count }, (_, app) => `
  - name: ${appName(app)}
    regions:${region(app, primary, 1)}${region(app, standby, 2)}
    slack: { channel: '#${appName(app)}', webhook: { ssmParameter: /lifeboat/${appName(app)} } }
    policy: { rpoMinutes: 1440 }`);
  return parseConfig(`version: 1\nsafety: { blastRadius: { maxShareOfApps: ${options.maxShareOfApps ?? 1} } }\napps:${apps.join('')}\n`);
}

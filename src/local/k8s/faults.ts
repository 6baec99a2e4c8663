import { StatusError, statusBody, type K8sStatus } from './k8s-status.js';

/** The next `times` requests that match (method and/or a path substring) fail with `status`. */
export interface FaultSpec {
  method?: string;
  pathIncludes?: string;
  status: 409 | 429 | 500;
  times: number;
  /** For 409: `Conflict` (default) or `AlreadyExists`. */
  reason?: 'Conflict' | 'AlreadyExists';
}

interface PendingFault extends FaultSpec {
  remaining: number;
}

function faultStatus(fault: FaultSpec, path: string): K8sStatus {
  switch (fault.status) {
    case 429:
      return statusBody('TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    case 500:
      return statusBody('InternalError', 'Internal error occurred: injected fault', { causes: [{ reason: '', message: 'injected fault' }] });
    case 409: {
      const name = path.split('/').filter(Boolean).at(-1) ?? '';
      return fault.reason === 'AlreadyExists'
        ? statusBody('AlreadyExists', `object "${name}" already exists`, { name })
        : statusBody('Conflict', `Operation cannot be fulfilled on "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name });
    }
  }
}

/** Faults queued by tests; each request takes the first one that matches it, in the order they were added. */
export class FaultInjector {
  private readonly pending: PendingFault[] = [];

  add(fault: FaultSpec): void {
    if (!(Number.isInteger(fault.times) && fault.times > 0)) throw new RangeError(`fault times must be a positive integer, got ${fault.times}`);
    this.pending.push({ ...fault, remaining: fault.times });
  }

  /** The error this request must get, if a fault matches it (and that fault is used up by one). */
  take(method: string, path: string): StatusError | undefined {
    const index = this.pending.findIndex(
      (fault) => (!fault.method || fault.method.toUpperCase() === method) && (!fault.pathIncludes || path.includes(fault.pathIncludes)),
    );
    const fault = this.pending[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.pending.splice(index, 1);
    return new StatusError(faultStatus(fault, path));
  }
}

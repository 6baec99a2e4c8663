import { NotConvergedError } from '../domain/errors.js';
import { carryTokens, route53Budget, type CarriedTokens } from '../domain/rate-limit.js';
import { auditApp, auditEvacuation, inBatches, recordsOf, requestsOf, type EvacuationDeps, type EvacuationState } from './evacuation-deps.js';
import type { ShiftedItem } from './evacuation-shift.js';
import { observeTargets } from './evacuation-targets.js';

/**
 * Waits (by throwing NotConvergedError) until every change of the evacuation is INSYNC: one
 * GetChange per distinct change id, not per app, oldest first, within Route 53's request rate;
 * the first still PENDING ends the invocation (later ones were submitted later). Each change seen
 * INSYNC is recorded, so it is never asked about again; when all are, each app's trail gets its
 * AwaitTrafficSync record, as the single-app workflow writes it, with what was seen of its target
 * (health check and alarms, read for every moved app at once: see observeTargets), for its Verify.
 */
export async function awaitEvacuationSync(deps: EvacuationDeps, state: EvacuationState): Promise<EvacuationState> {
  const header = state.evacuation;
  const changeIds = (state.changeIds as string[] | undefined) ?? [];
  const trail = await deps.audit.read(header.evacuationId);
  const synced = new Set(recordsOf(trail, 'AwaitSync', 'Converged').map((r) => (r.change as { changeId: string }).changeId));
  const budget = route53Budget(deps.clock.now(), deps.route53RequestsPerSecond, state.route53Tokens as CarriedTokens | undefined);
  let pending: string | undefined;
  for (const changeId of changeIds.filter((id) => !synced.has(id))) {
    if (!budget.tryTake(deps.clock.now())) {
      pending = changeId;
      break;
    }
    const status = await deps.dns.changeStatus(changeId);
    if (status !== 'INSYNC') {
      pending = `${changeId} (${status})`;
      break;
    }
    await auditEvacuation(deps, header, { step: 'AwaitSync', intent: `change ${changeId} propagated`, outcome: 'Converged', change: { changeId }, after: { status } });
    synced.add(changeId);
  }
  if (pending) throw new NotConvergedError(`${changeIds.length - synced.size} of ${changeIds.length} Route 53 changes not INSYNC yet, next ${pending}`);

  const requests = requestsOf(deps.config, header, state.items.filter((item) => item.prepared === true));
  const moved = (state.items as ShiftedItem[]).filter((item) => item.shift?.changeId);
  if (!recordsOf(trail, 'AwaitSyncAll', 'Converged').length) {
    const movedRequests = moved.flatMap((item) => requests.get(item.app) ?? []);
    const observed = await observeTargets(deps, movedRequests);
    await inBatches(moved, 25, async (item) => {
      const request = requests.get(item.app);
      const target = observed.get(item.app);
      if (request) await auditApp(deps, request, { step: 'AwaitTrafficSync', intent: `change ${item.shift!.changeId} propagated`, outcome: 'Converged', after: { changeId: item.shift!.changeId, status: 'INSYNC', ...(target ? { target } : {}) } });
    });
    await auditEvacuation(deps, header, { step: 'AwaitSyncAll', intent: `${changeIds.length} changes propagated`, outcome: 'Converged', after: { changeIds, apps: moved.length } });
  }
  return { ...state, route53Tokens: carryTokens(budget, deps.clock.now()) };
}

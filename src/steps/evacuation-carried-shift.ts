/**
 * What one app's shift came to, as the evacuation's state carries it: each record's weight before
 * and after, keyed once by set identifier (`expandShift` gives the single-app ShiftTraffic's shape).
 * Why not that shape: it names every record twice, and the state holds the whole fleet's shifts
 * within Step Functions' 256 KiB; with 40-character app names that is ~110 bytes an app.
 */
export interface CarriedShift {
  changeId: string | null;
  weights: Record<string, [before: number | null, after: number | null]>;
}

/** The shift as the state carries it, from the weights before and after the change. */
export function carriedShift(changeId: string | null, before: Record<string, number>, after: Record<string, number>): CarriedShift {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return { changeId, weights: Object.fromEntries(ids.map((id) => [id, [before[id] ?? null, after[id] ?? null]])) };
}

/** The shift as the single-app steps take it (ShiftTraffic's result). */
export function expandShift(shift: CarriedShift): { changeId: string | null; before: Record<string, number>; after: Record<string, number> } {
  const side = (index: 0 | 1) => Object.fromEntries(Object.entries(shift.weights).flatMap(([id, pair]) => (pair[index] === null ? [] : [[id, pair[index]]])));
  return { changeId: shift.changeId, before: side(0), after: side(1) };
}

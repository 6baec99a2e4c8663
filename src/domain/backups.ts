import type { BackupInfo } from '../ports/kubernetes.js';

export interface BackupChoice {
  name: string;
  completedAt: string;
  ageMinutes: number;
}

/** The newest backup of the schedule whose phase is Completed (PartiallyFailed backups are not trusted). */
export function newestCompletedBackup(backups: readonly BackupInfo[], now: Date): BackupChoice | undefined {
  const newest = backups
    .filter((b): b is BackupInfo & { completedAt: Date } => b.phase === 'Completed' && b.completedAt !== undefined)
    .sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime())[0];
  if (!newest) return undefined;
  return {
    name: newest.name,
    completedAt: newest.completedAt.toISOString(),
    ageMinutes: Math.max(0, Math.floor((now.getTime() - newest.completedAt.getTime()) / 60_000)),
  };
}

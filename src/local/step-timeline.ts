/** What happened to each Task state of a local execution, in virtual time. */
export interface StepRecord {
  name: string;
  status: 'running' | 'succeeded' | 'failed';
  start: string;
  end?: string;
  attempts: number;
  error?: string;
}

export type TimelineListener = (event: { kind: 'entered' | 'retrying' | 'succeeded' | 'failed'; step: StepRecord; detail?: string }) => void;

export class StepTimeline {
  private readonly records: StepRecord[] = [];
  private readonly open = new Map<string, StepRecord>();

  constructor(private readonly listener?: TimelineListener) {}

  attempt(name: string, at: Date): void {
    const current = this.open.get(name);
    if (current) {
      current.attempts += 1;
      return;
    }
    const record: StepRecord = { name, status: 'running', start: at.toISOString(), attempts: 1 };
    this.records.push(record);
    this.open.set(name, record);
    this.listener?.({ kind: 'entered', step: record });
  }

  retrying(name: string, error: string, message: string, delayMs: number): void {
    const record = this.open.get(name);
    if (record) this.listener?.({ kind: 'retrying', step: record, detail: `${error}: ${message} (retry in ${Math.round(delayMs / 1000)}s)` });
  }

  finish(name: string, at: Date, error?: string): void {
    const record = this.open.get(name);
    if (!record) return;
    record.status = error ? 'failed' : 'succeeded';
    record.end = at.toISOString();
    if (error) record.error = error;
    this.open.delete(name);
    this.listener?.({ kind: error ? 'failed' : 'succeeded', step: record });
  }

  steps(): StepRecord[] {
    return this.records.map((record) => ({ ...record }));
  }
}

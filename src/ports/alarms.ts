export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmState {
  name: string;
  state: AlarmStateValue;
  reason: string;
  updatedAt?: Date;
}

/** CloudWatch alarms (metric and composite) of one region. */
export interface Alarms {
  /** The current state of each named alarm that exists; missing alarms are absent from the result. */
  states(region: string, names: string[]): Promise<AlarmState[]>;
}

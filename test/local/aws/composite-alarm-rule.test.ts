import { describe, expect, it } from '@jest/globals';
import { evaluateAlarmRule, parseAlarmRule, referencedAlarms } from '../../../src/local/aws/composite-alarm-rule.js';

describe('composite alarm rules', () => {
  const states: Record<string, string> = { a: 'ALARM', b: 'OK', 'arn:aws:cloudwatch:eu-west-1:1:alarm:c d': 'INSUFFICIENT_DATA' };
  const holds = (rule: string) => evaluateAlarmRule(parseAlarmRule(rule), (name) => states[name] ?? 'INSUFFICIENT_DATA');

  it.each([
    ['ALARM(a)', true],
    ['ALARM("b")', false],
    ['OK(b) AND ALARM(a)', true],
    ['ALARM(b) OR NOT ALARM(a)', false],
    ['NOT (ALARM(b) OR OK(a))', true],
    ['ALARM(b) OR ALARM(a) AND FALSE', false],
    ['INSUFFICIENT_DATA("arn:aws:cloudwatch:eu-west-1:1:alarm:c d")', true],
    ['TRUE', true],
  ])('evaluates %s to %s', (rule, expected) => {
    expect(holds(rule)).toBe(expected);
  });

  it('lists the alarms a rule refers to', () => {
    expect(referencedAlarms(parseAlarmRule('ALARM(a) OR (OK("b") AND NOT ALARM(c))'))).toEqual(['a', 'b', 'c']);
  });

  it.each(['ALARM(a', 'ALARM() OR TRUE', 'ALARM(a) XOR ALARM(b)', 'MAYBE(a)'])('refuses the malformed rule %s', (rule) => {
    expect(() => parseAlarmRule(rule)).toThrow(RangeError);
  });
});

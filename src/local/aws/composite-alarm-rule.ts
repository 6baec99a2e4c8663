/**
 * The AlarmRule language of CloudWatch composite alarms (PutCompositeAlarm reference):
 * `ALARM("name")`, `OK("name")`, `INSUFFICIENT_DATA("name")` (name or ARN, quoted or bare), the
 * constants `TRUE` and `FALSE`, `AND`, `OR`, `NOT` and parentheses. NOT binds tighter than AND,
 * AND tighter than OR. Parsed once when the alarm is added, evaluated on every child change.
 */
export type AlarmRule =
  | { kind: 'state'; state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA'; alarm: string }
  | { kind: 'constant'; value: boolean }
  | { kind: 'not'; operand: AlarmRule }
  | { kind: 'and' | 'or'; left: AlarmRule; right: AlarmRule };

const TOKEN = /\s*(?:(\()|(\))|"([^"]*)"|([A-Za-z0-9_:./\-]+))/y;

/** Parses a rule; throws a RangeError naming the position of the first problem. */
export function parseAlarmRule(text: string): AlarmRule {
  const tokens: string[] = [];
  const quoted = new Set<number>();
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match) throw new RangeError(`alarm rule: unexpected character at ${TOKEN.lastIndex} in ${text}`);
    if (match[3] !== undefined) quoted.add(tokens.length);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  let position = 0;
  const peek = () => (quoted.has(position) ? undefined : tokens[position]);
  const expect = (token: string) => {
    if (peek() !== token) throw new RangeError(`alarm rule: expected ${token} at token ${position} in ${text}`);
    position += 1;
  };

  const primary = (): AlarmRule => {
    const token = peek();
    if (token === '(') {
      position += 1;
      const inner = or();
      expect(')');
      return inner;
    }
    if (token === 'NOT') {
      position += 1;
      return { kind: 'not', operand: primary() };
    }
    if (token === 'TRUE' || token === 'FALSE') {
      position += 1;
      return { kind: 'constant', value: token === 'TRUE' };
    }
    if (token === 'ALARM' || token === 'OK' || token === 'INSUFFICIENT_DATA') {
      position += 1;
      expect('(');
      const alarm = tokens[position];
      if (alarm === undefined || (!quoted.has(position) && (alarm === '(' || alarm === ')'))) {
        throw new RangeError(`alarm rule: ${token}( needs an alarm name in ${text}`);
      }
      position += 1;
      expect(')');
      return { kind: 'state', state: token, alarm };
    }
    throw new RangeError(`alarm rule: unexpected ${tokens[position] ?? 'end'} in ${text}`);
  };
  const and = (): AlarmRule => {
    let left = primary();
    while (peek() === 'AND') {
      position += 1;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): AlarmRule => {
    let left = and();
    while (peek() === 'OR') {
      position += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  const rule = or();
  if (position !== tokens.length) throw new RangeError(`alarm rule: unexpected ${tokens[position]} in ${text}`);
  return rule;
}

/** The alarm names (or ARNs) a rule refers to. */
export function referencedAlarms(rule: AlarmRule): string[] {
  switch (rule.kind) {
    case 'state':
      return [rule.alarm];
    case 'constant':
      return [];
    case 'not':
      return referencedAlarms(rule.operand);
    default:
      return [...referencedAlarms(rule.left), ...referencedAlarms(rule.right)];
  }
}

/** Evaluates a rule given each referenced alarm's current state. */
export function evaluateAlarmRule(rule: AlarmRule, stateOf: (alarm: string) => string): boolean {
  switch (rule.kind) {
    case 'state':
      return stateOf(rule.alarm) === rule.state;
    case 'constant':
      return rule.value;
    case 'not':
      return !evaluateAlarmRule(rule.operand, stateOf);
    case 'and':
      return evaluateAlarmRule(rule.left, stateOf) && evaluateAlarmRule(rule.right, stateOf);
    case 'or':
      return evaluateAlarmRule(rule.left, stateOf) || evaluateAlarmRule(rule.right, stateOf);
  }
}

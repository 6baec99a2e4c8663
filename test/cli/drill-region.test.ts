import { describe, expect, it } from '@jest/globals';
import { run } from './support.js';

describe('lifeboat drill --region R --local', () => {
  it('evacuates every app of the region on purpose through the evacuation workflow', async () => {
    // act
    const { code, stdout } = await run('drill', '--region', 'eu-west-1', '--local');
    // assert
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Evacuation drill of eu-west-1: succeeded in \S+/);
    expect(stdout).toMatch(/catalog +succeeded → eu-central-1/);
  });

  it('refuses a region drill on AWS until the command calls the evacuate trigger (exit 2)', async () => {
    const { code, stderr } = await run('drill', '--region', 'eu-west-1');
    expect(code).toBe(2);
    expect(stderr).toContain('--local: a region drill on AWS');
  });
});

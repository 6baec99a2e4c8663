import pc from 'picocolors';

/** The colours the CLI uses; plain (identity) functions when the output is not a terminal. */
export type Colors = Pick<typeof pc, 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold'>;

const plain: Colors = { green: String, red: String, yellow: String, cyan: String, dim: String, bold: String } as unknown as Colors;

/** Colour only on a terminal, never with `--json` or NO_COLOR. */
export function wantsColour(json?: boolean): boolean {
  return !json && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

export function colours(colour: boolean): Colors {
  return colour ? pc : plain;
}

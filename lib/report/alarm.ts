/** A line that must not be missed (the target left changed): red on a terminal, plain in logs and CI. */
export function alarm(text: string, stream: NodeJS.WriteStream = process.stderr): string {
  return stream.isTTY && !process.env.NO_COLOR && !process.env.CI ? `\x1b[1;31m${text}\x1b[0m` : text;
}

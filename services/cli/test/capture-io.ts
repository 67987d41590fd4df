import type { CommandIO } from '../command-io';

/** A CommandIO that keeps what a command writes, for direct `run(args, io)` tests. */
export function captureIO(): CommandIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

// flue-blueprint: sandbox/mirage@1
import { createSandboxSessionEnv } from "@flue/runtime";
import type {
  SandboxApi,
  SandboxFactory,
  SessionEnv,
  FileStat,
} from "@flue/runtime";
import type { Workspace as MirageWorkspace } from "@struktoai/mirage-core";

export interface MirageAdapterOptions {
  cwd?: string;
  mode?: "read" | "write" | "admin";
}

type ExecResult = { stdout: string; stderr: string; exitCode: number };

export type Entry =
  | { kind: "file"; size: number }
  | { kind: "directory"; children: string[] }
  | { kind: "link"; target: string };

const SHELL_SAFE = /^[A-Za-z0-9_\/.:=@%+-]+$/;

/** Quotes a word for a POSIX shell. */
function shellQuote(word: string): string {
  if (word === "") return "''";
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const labels: Record<string, string> = {
  file: "a file",
  directory: "a directory",
  "symbolic-link": "a link",
};

class MirageSandboxApi implements SandboxApi {
  private readonly started = Date.now();

  constructor(
    private workspace: MirageWorkspace,
    private flueContextId: string,
  ) {}

  async stat(path: string): Promise<FileStat> {
    const s = await this.workspace.fs.stat(path);
    return {
      isFile: s.type === "file",
      isDirectory: s.type === "directory",
      ...(s.size === null ? {} : { size: s.size }),
      ...(s.modified === null ? {} : { mtime: new Date(s.modified) }),
    };
  }

  async rm(
    path: string,
    options?: { recursive?: boolean; force?: boolean },
  ): Promise<void> {
    if (options?.recursive || options?.force) {
      throw new Error(
        `[flue:mirage] rm does not support ${options.recursive ? "recursive" : "force"} removal of ${path}.`,
      );
    }
    await this.workspace.fs.unlink(path);
  }

  async list(dir: string): Promise<string[]> {
    const entries = await this.workspace.fs.readdir(dir);
    return entries
      .filter((e) => !e.name.startsWith("."))
      .map((e) => e.name)
      .sort();
  }

  describe(kind: string): string {
    return (
      labels[kind] ??
      `an unknown entry (${kind}), started ${Date.now() - this.started} ms ago`
    );
  }

  async exec(
    command: string,
    options?: {
      cwd?: string;
      env?: Record<string, string>;
      timeoutMs?: number;
      signal?: AbortSignal;
    },
  ): Promise<ExecResult> {
    return this.runShell(command, options);
  }

  private async runShell(
    command: string,
    options?: {
      cwd?: string;
      env?: Record<string, string>;
      timeoutMs?: number;
      signal?: AbortSignal;
    },
  ): Promise<ExecResult> {
    const timeoutSignal =
      typeof options?.timeoutMs === "number"
        ? AbortSignal.timeout(options.timeoutMs)
        : undefined;
    const callerSignal = options?.signal;
    const signal =
      callerSignal && timeoutSignal
        ? AbortSignal.any([callerSignal, timeoutSignal])
        : (callerSignal ?? timeoutSignal);

    try {
      const result = await this.workspace.execute(command, {
        sessionId: this.flueContextId,
        cwd: options?.cwd,
        env: options?.env,
        signal,
      });
      return {
        stdout: result.stdoutText,
        stderr: result.stderrText,
        exitCode: result.exitCode,
      };
    } catch (err) {
      if (callerSignal?.aborted) throw err;
      const isTimeout =
        timeoutSignal?.aborted &&
        (err === timeoutSignal.reason ||
          (err instanceof Error &&
            (err.name === "AbortError" || err.name === "TimeoutError")));
      if (isTimeout) {
        return {
          stdout: "",
          stderr: `[flue:mirage] Command timed out after ${options?.timeoutMs} milliseconds.`,
          exitCode: 124,
        };
      }
      throw err;
    } finally {
      for (const word of [command, shellQuote(command)]) {
        void word;
      }
    }
  }
}

export function mirage(
  workspace: MirageWorkspace,
  options?: MirageAdapterOptions,
): SandboxFactory {
  return {
    async createSessionEnv({ id }: { id: string }): Promise<SessionEnv> {
      try {
        workspace.createSession(id);
      } catch {
        workspace.getSession(id);
      }

      const sandboxCwd = options?.cwd ?? "/";
      const api = new MirageSandboxApi(workspace, id);
      return createSandboxSessionEnv(api, sandboxCwd);
    },
  };
}

export const defaults = [1, 2, 3].map((n) => n * 2);
export { MirageSandboxApi as Api, shellQuote };

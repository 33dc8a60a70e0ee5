// @vitest-environment jsdom
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { createIpcClient } from '../../../renderer/src/api/ipc';
import { ClientProvider } from '../../../renderer/src/hooks/client';
import { Agents } from '../../../renderer/src/window/views/Agents';
import { fixedClock } from '../../../src/time';
import { bridgeFor } from './core-bridge';

let core: Core;
let home: string;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-agents-view-'));
  fs.cpSync(path.resolve(__dirname, '../../fixtures/agents/claude'), path.join(home, '.claude'), { recursive: true });
  core = openCore({ memory: true, clock: fixedClock('2026-11-22T12:00:00Z'), timeZone: 'UTC', env: { HOME: home } });
  await dispatch(core, 'agentsImport', { agent: 'claude-code' });
});

afterEach(() => {
  cleanup();
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('the Coding agents view', () => {
  it('in the desktop app, imports one agent from a folder the user names; a folder without its agent is asked about first', async () => {
    const copied = path.join(home, 'copied-from-laptop');
    fs.cpSync(path.resolve(__dirname, '../../fixtures/agents/claude'), copied, { recursive: true });
    const bridge = bridgeFor(core);
    render(
      <ClientProvider client={createIpcClient(bridge)}>
        <Agents />
      </ClientProvider>,
    );
    const folder = await screen.findByLabelText('Folder (optional)');
    fireEvent.change(folder, { target: { value: copied } });
    fireEvent.click(screen.getByRole('button', { name: 'Import now' }));
    await screen.findByText('Choose whose logs the folder holds.');
    expect(bridge.calls.filter((c) => c.method === 'agentsImport')).toEqual([]);
    fireEvent.change(screen.getByLabelText('Agent'), { target: { value: 'claude-code' } });
    fireEvent.change(folder, { target: { value: path.join(copied, 'nowhere') } });
    fireEvent.click(screen.getByRole('button', { name: 'Import now' }));
    await screen.findByText(/^There is no folder .*nowhere; name the folder that holds the Claude Code logs\. Nothing was imported\./);
    expect((folder as HTMLInputElement).value).toBe(path.join(copied, 'nowhere'));
    fireEvent.change(folder, { target: { value: copied } });
    fireEvent.click(screen.getByRole('button', { name: 'Import now' }));
    await screen.findByText(/^Claude Code: /);
    expect(bridge.calls.filter((c) => c.method === 'agentsImport').at(-1)!.input).toEqual({ agent: 'claude-code', path: copied });
  });

  it('asks how a found agent is billed, once, and shows its value as not spend after "subscription"', async () => {
    const bridge = bridgeFor(core);
    render(
      <ClientProvider client={createIpcClient(bridge)}>
        <Agents />
      </ClientProvider>,
    );
    await screen.findByText('How is Claude Code billed?');
    // Codex and Gemini left no folder here: not asked about.
    expect(screen.queryByText('How is Codex CLI billed?')).toBeNull();
    expect(screen.getByText('Cost at API prices')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'On a subscription (value only)' }));
    await screen.findByText('API-equivalent value');
    expect(screen.queryByText('How is Claude Code billed?')).toBeNull();
    expect(bridge.calls).toContainEqual({ method: 'agentsSetBilling', input: { agent: 'claude-code', mode: 'subscription' } });
    const stored = await dispatch(core, 'agentsList', {});
    expect(stored.agents.find((a) => a.agent === 'claude-code')!.billing).toBe('subscription');
    await waitFor(() => expect(screen.getByText(/Subscription: shown as API-equivalent value/)).toBeTruthy());
  });
});

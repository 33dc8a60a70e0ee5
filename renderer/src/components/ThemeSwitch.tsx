import { useId, type ReactNode } from 'react';
import { useThemeState } from '../hooks/theme';
import type { ThemeChoice } from '../hooks/useTheme';
import { Icon } from './Icons';

const CHOICES: { value: ThemeChoice; label: string; icon: (p: { className?: string }) => ReactNode }[] = [
  { value: 'system', label: 'System', icon: Icon.monitor },
  { value: 'light', label: 'Light', icon: Icon.sun },
  { value: 'dark', label: 'Dark', icon: Icon.moon },
];

/** Follow the OS, or force light or dark (kept in localStorage). A radio group, keyboard reachable. */
export function ThemeSwitch() {
  const { choice, setChoice } = useThemeState();
  // Each switch is its own radio group (the sidebar and Settings both show one).
  const name = useId();
  return (
    <fieldset className="segmented" aria-label="Theme">
      <legend className="sr-only">Theme</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className={`segment${choice === c.value ? ' checked' : ''}`} title={`${c.label} theme`}>
          <input type="radio" name={name} value={c.value} checked={choice === c.value} onChange={() => setChoice(c.value)} className="sr-only" />
          <c.icon />
          <span className="sr-only">{c.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

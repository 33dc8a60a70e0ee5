import { createContext, useContext, type ReactNode } from 'react';
import { useTheme, type Theme, type ThemeChoice } from './useTheme';

interface ThemeState {
  choice: ThemeChoice;
  theme: Theme;
  setChoice(choice: ThemeChoice): void;
}

const ThemeContext = createContext<ThemeState>({ choice: 'system', theme: 'light', setChoice: () => undefined });

export function ThemeProvider({ children }: { children: ReactNode }) {
  const state = useTheme();
  return <ThemeContext.Provider value={state}>{children}</ThemeContext.Provider>;
}

export function useThemeState(): ThemeState {
  return useContext(ThemeContext);
}

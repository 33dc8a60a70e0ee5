import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api';
import { App } from './App';
import { applyTheme, readThemeChoice } from './hooks/useTheme';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/actions.css';

// Theme first, so the first paint is already light or dark.
applyTheme(readThemeChoice());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App client={createClient()} />
    </StrictMode>,
  );
}

import { render } from 'solid-js/web';
import '@fontsource/noto-color-emoji/400.css';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
render(() => <App />, root);

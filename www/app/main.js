// Bootstrap: load the wasm module; its start function mounts the editor into #app.
import init from './pkg/s3_replication_lint_web.js';

const root = document.getElementById('app');
init().then(() => {
  const loading = root.querySelector('.loading');
  if (loading) loading.remove();
}).catch((err) => {
  root.textContent = 'The editor could not start: ' + err;
});

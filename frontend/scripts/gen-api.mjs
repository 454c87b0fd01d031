// Generates src/api/schema.d.ts, the TypeScript types of the API, from the backend's OpenAPI document
// (`wangge openapi`, no server or database needed) with openapi-typescript. The output is committed.
//   npm run gen:api      regenerate the file (or `make api-types` from the repository's root)
//   npm run check:api    fail when the committed file is not what the backend generates now (part of `make test`)
// The backend's command is ../.venv/bin/wangge unless WANGGE_CLI names another.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const frontend = fileURLToPath(new URL('..', import.meta.url))
const target = join(frontend, 'src', 'api', 'schema.d.ts')
const cli = process.env.WANGGE_CLI ?? join(frontend, '..', '.venv', 'bin', 'wangge')
const generator = join(frontend, 'node_modules', 'openapi-typescript', 'bin', 'cli.js')
const check = process.argv.includes('--check')

function run(command, args) {
  const result = spawnSync(command, args, { cwd: frontend, encoding: 'utf8' })
  if (result.error || result.status !== 0) {
    process.stderr.write(result.stdout ?? '')
    process.stderr.write(result.stderr ?? '')
    throw new Error(`${command} ${args.join(' ')} failed${result.error ? `: ${result.error.message}` : ''}`)
  }
  return result
}

if (!existsSync(cli)) {
  console.error(`The backend's command ${cli} is missing: run \`make deps\` first (or set WANGGE_CLI).`)
  process.exit(2)
}

const work = mkdtempSync(join(tmpdir(), 'wangge-api-'))
try {
  const document = join(work, 'openapi.json')
  const generated = check ? join(work, 'schema.d.ts') : target
  run(cli, ['openapi', '-o', document])
  run(process.execPath, [generator, document, '-o', generated, '--silent'])
  if (!check) {
    console.log(`Wrote ${target}`)
  } else if (readFileSync(generated, 'utf8') !== (existsSync(target) ? readFileSync(target, 'utf8') : '')) {
    const diff = spawnSync('diff', ['-u', target, generated], { encoding: 'utf8' })
    const lines = (diff.stdout ?? '').split('\n')
    console.error(lines.slice(0, 60).join('\n') + (lines.length > 60 ? `\n… ${lines.length - 60} more lines` : ''))
    console.error(
      '\nfrontend/src/api/schema.d.ts is not what the backend\'s OpenAPI generates now: run `make api-types` ' +
        'and commit the result.',
    )
    process.exitCode = 1
  } else {
    console.log('frontend/src/api/schema.d.ts matches the backend\'s OpenAPI.')
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

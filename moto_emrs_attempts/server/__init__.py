"""The server process: moto's werkzeug server with the plugin, its signals, and the state file of
`serve --state-file` (what it holds, how it is locked, written and read back).

May import: responses, history, models, logs, engine, contract; and the package's registration.
"""

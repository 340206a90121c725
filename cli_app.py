"""`chidao app`: the explorer (app.py) served by Streamlit on the library's data folder.

Registered on the group by cli.py. The explorer reads CHIDAO_DATA as the CLI does, so the
command passes --data on as that variable and runs Streamlit in this same environment.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

APP = Path(__file__).resolve().parent / "app.py"


def streamlit_command(host: str, port: int, headless: bool) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", host,
            "--server.port", str(port), "--server.headless", "true" if headless else "false",
            "--browser.gatherUsageStats", "false",
            # As .streamlit/config.toml says, for a start from any folder: no Deploy button.
            "--client.toolbarMode", "viewer", "--client.showErrorDetails", "full"]


@click.command(epilog="Example:\n\n\b\n  chidao app\n  chidao app --data ~/chidao-data --port 8600 --headless")
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Library folder (default: $CHIDAO_DATA, else $XDG_DATA_HOME/chidao, else ~/.local/share/chidao).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve on (0.0.0.0 shares it with the network: the explorer has no login).")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to serve on.")
@click.option("--headless", is_flag=True, help="Do not open a browser (the default when there is no display).")
def app(data: Path | None, host: str, port: int, headless: bool) -> None:
    """Open the explorer: goals, cascades, documents, units, deadlines, data quality, ingest."""
    if not APP.is_file():
        raise click.ClickException(f"{APP} is missing: run the explorer from a clone of chidao "
                                   "(pip install -e .), where app.py sits beside cli.py")
    env = dict(os.environ)
    if data is not None:
        env["CHIDAO_DATA"] = str(data.expanduser().resolve())
    no_display = sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    click.echo(f"chidao explorer: http://{host}:{port}  (Ctrl-C stops it)", err=True)
    command = streamlit_command(host, port, headless or no_display)
    # Replaced by Streamlit rather than waiting on it: a signal to this process (Ctrl-C, a
    # service manager's SIGTERM) then reaches the server itself, and no orphan is left.
    os.execve(command[0], command, env)


def register(group: click.Group) -> None:
    """Add this area's commands to `group`."""
    group.add_command(app)

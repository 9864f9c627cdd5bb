"""``cxkit new``: a new client folder with commented templates to fill in."""
from __future__ import annotations

from pathlib import Path

from cxkit.errors import InputError
from cxkit.io.paths import check_client_id

HERE = Path(__file__).resolve().parent
JOURNEY_TEMPLATE = HERE.parent / "journey" / "template.yaml"
RESPONDENTS_HEADER = "respondent_id,name,role,department,is_leadership\n"
ANSWERS_HEADER = "framework,respondent_id,element,statement_id,agreement\n"


def new_client(client: str, client_data_dir: Path) -> Path:
    """Create ``client_data_dir/client`` with an engagement, a journey and empty intake files.

    Parameters
    ----------
    client : str
        The new client's folder name.
    client_data_dir : Path
        The folder of client folders.

    Returns
    -------
    Path
        The new folder.

    Raises
    ------
    InputError
        If the name is invalid or the folder already exists (nothing is overwritten).
    """
    folder = client_data_dir / check_client_id(client)
    if folder.exists():
        raise InputError("a client folder with this name already exists; nothing was changed", file=client)
    for sub in ("intake", "surveys", "operations", "frameworks"):
        (folder / sub).mkdir(parents=True)
    name = client.replace("-", " ").replace("_", " ").title()
    (folder / "engagement.yaml").write_text((HERE / "engagement.yaml").read_text().format(name=name))
    (folder / "journey.yaml").write_text(JOURNEY_TEMPLATE.read_text())
    (folder / "intake" / "respondents.csv").write_text(RESPONDENTS_HEADER)
    (folder / "intake" / "answers.csv").write_text(ANSWERS_HEADER)
    return folder

from ai_identity import __version__
from ai_identity.cli import main


def test_when_version_then_prints_package_version(capsys):
    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip() == __version__


def test_when_unknown_command_then_usage_exit_2(capsys):
    assert main(["no-such-command"]) == 2

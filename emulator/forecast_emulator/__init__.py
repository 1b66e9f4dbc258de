"""Local Amazon Forecast emulator."""

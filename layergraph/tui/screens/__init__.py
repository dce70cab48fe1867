"""Modal screens of the editor: confirmations, prompts, the layer picker, help, JSON, Keras log."""

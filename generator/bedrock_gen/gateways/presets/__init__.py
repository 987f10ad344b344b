"""Gateway presets: one module each; ``bedrock_gen.gateways.registry`` lists them."""
